using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.OsRepos;
using Lading.Tools.Apt;
using Lading.Tools.Buildah;
using Lading.Tools.Docker;

namespace Lading.Tasks.OfflineResources;

[TaskName(nameof(BuildOsRepos))]
[TaskDescription("Builds an OS package repository per recipe 'os' entry: the full dependency closure, resolved by apt in an isolated root (deb) or in a container build (rpm), indexed for apt/dnf")]
[CommandLine("part of OfflineResources")]
public sealed class BuildOsRepos : FrostingTask<BuildContext>, IDryRunAware
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(context.Offline.OsTargets.Count > 0, "the recipe lists no OS repositories (os:)");

    public override void Run(BuildContext context)
    {
        var root = context.PackageBuild?.Staging ?? context.Paths.Output;
        var options = new OsRepoOptions
        {
            Repositories = Path.Combine(root, "repos"),
            Cache = context.Paths.Cache,
            Work = Path.Combine(context.Paths.Work, "os"),
            Builder = context.Offline.OsBuilder,
        };
        var builder = new OsRepoBuilder(
            new AptRepoBuilder(context.AptGet(), context.DpkgScanPackages(), context.AptFtpArchive()),
            new RpmRepoBuilder(context.Buildah(), context.DockerBuildx()));

        var problems = new List<OsRepoProblem>();
        var plans = new List<(OsTarget Target, OsPackageList List)>();
        foreach (var entry in context.Offline.OsTargets)
        {
            try
            {
                var list = OsPackageList.Load(entry.List, entry.Location.ToString());
                var target = new OsTarget(list.Distro, list.Release, entry.Architecture)
                {
                    AptSources = entry.Sources.Select((line, i) => AptSource.Parse(line, $"{entry.Location} sources[{i}]")).ToList(),
                    BaseImage = entry.Image,
                };
                target.Validate();
                plans.Add((target, list));
            }
            catch (OsRepoException ex)
            {
                problems.AddRange(ex.Problems);
            }
        }

        if (problems.Count > 0)
        {
            throw new OsRepoException(problems);
        }

        foreach (var (target, list) in plans)
        {
            if (context.IsDryRun)
            {
                context.Log.Information("[dry run] {0}", OsRepoBuilder.Plan(target, list, options));
                continue;
            }

            var repo = builder.Build(target, list, options);
            context.Log.Information("{0}: {1} package(s) in {2}", target, repo.Packages.Count, repo.Folder);
            context.Record(target.Name + "/" + target.Architecture, $"{repo.Packages.Count} package(s)");
        }
    }
}
