using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Recipes;
using Lading.Release;

namespace Lading.Tasks.Release;

[TaskName(nameof(CollectCharts))]
[TaskDescription("Fetches each component at its currentTag (that tag only, no history) and copies its charts into addons/, replacing the old folders")]
[CommandLine("./build.sh --target=CollectCharts --release-repo=... --git-base-url=...")]
[IsDependentOn(typeof(ResolveTags))]
[Needs(SettingKeys.ReleaseRepo)]
[Needs(SettingKeys.GitBaseUrl)]
public sealed class CollectCharts : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    public override async Task RunAsync(BuildContext context)
    {
        var repo = context.ReleaseRepo;
        var components = ComponentRepoFile.LoadFolder(repo.PathOf(ReleaseLayout.Repos)).SelectMany(f => f.Repos).ToList();
        if (context.IsDryRun)
        {
            // A dry run wrote no new tags: the ones ResolveTags picked are what a real run would collect.
            foreach (var component in components)
            {
                var tag = context.ReleaseReport.Tags.FirstOrDefault(t => t.Repo.File == component.File && t.Repo.Line == component.Line)?.NewTag ?? component.CurrentTag;
                context.Log.Information("[dry run] would copy {0}@{1}: {2}", component.RepositoryFullName, tag, string.Join(", ", component.ChartPaths.Zip(component.AddonFolders, (from, to) => $"{from} -> {to}")));
            }

            return;
        }

        var fetched = await context.Components.CheckOutAllAsync(components, context.Images.Concurrency);

        // Copying is local and quick; done one component at a time, every refusal of every component reported together.
        var problems = new List<ReleaseProblem>();
        var addons = new List<string>();
        foreach (var (component, folder) in fetched)
        {
            // A chart goes into the release with every chart it depends on, or not at all: the site has no internet to fetch them.
            var lacking = new List<ReleaseProblem>();
            foreach (var chartPath in component.ChartPaths.Where(p => !p.Contains("..", StringComparison.Ordinal) && !Path.IsPathRooted(p)))
            {
                var fetchedProblems = await context.ChartDependencies.FetchAsync(Path.Combine(folder, chartPath), folder, $"{component.RepositoryFullName}@{component.CurrentTag}:{chartPath}", CancellationToken.None);
                lacking.AddRange(fetchedProblems.Select(problem => new ReleaseProblem(component.File, component.Line, component.Column, problem)));
            }

            if (lacking.Count > 0)
            {
                problems.AddRange(lacking);
                continue;
            }

            try
            {
                addons.AddRange(ChartCollector.Collect(component, component.CurrentTag, folder, repo.Root));
            }
            catch (ReleaseException ex)
            {
                problems.AddRange(ex.Problems);
            }
        }

        if (problems.Count > 0)
        {
            throw new ReleaseException(problems);
        }

        context.Log.Information("Collected {0} chart(s): {1}", addons.Count, string.Join(", ", addons));
        context.Record("charts", string.Join(", ", addons));
    }
}
