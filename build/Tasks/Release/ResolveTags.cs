using System.Text.RegularExpressions;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Recipes;
using Lading.Release;

namespace Lading.Tasks.Release;

[TaskName(nameof(ResolveTags))]
[TaskDescription("Finds each component's newest tag on its baseVersion line (git ls-remote, no clone) and writes it to repos/*.yaml")]
[CommandLine("./build.sh --target=ResolveTags --release-repo=<url|path> --git-base-url=<url>")]
[Needs(SettingKeys.ReleaseRepo)]
[Needs(SettingKeys.GitBaseUrl)]
public sealed class ResolveTags : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    public override async Task RunAsync(BuildContext context)
    {
        var repo = context.ReleaseRepo;
        var files = ReleaseFiles.Load(repo.Root, needsRepos: true, needsVersions: false).Repos;
        var rule = context.Release.TagMessagePattern is { } pattern ? new Regex(pattern, RegexOptions.Multiline) : null;
        var changes = await TagResolver.ResolveAllAsync(context.Components, files.SelectMany(f => f.Repos), rule, context.Images.Concurrency);
        context.ReleaseReport.Tags.AddRange(changes);
        context.Log.Information("{0}", context.ReleaseReport.TagTable());
        context.Record("tags", context.ReleaseReport.TagTable());
        context.Record("changed", changes.Count(c => c.Changed).ToString());

        foreach (var updated in ComponentRepoFile.WithNewTags(files, changes))
        {
            if (context.IsDryRun)
            {
                context.Log.Information("[dry run] would update {0}", Path.GetRelativePath(repo.Root, updated.Path));
            }
            else
            {
                await updated.SaveAsync();
            }
        }
    }
}
