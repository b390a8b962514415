using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Recipes;
using Lading.Release;
using Lading.Tools.Git;

namespace Lading.Tasks.Release;

[TaskName(nameof(TagRelease))]
[TaskDescription("After the release change is merged: tags the branch head --version=vX.Y.Z (annotated, listing every component); tagging X.Y.0 also creates release-X.Y")]
[CommandLine("./build.sh --target=TagRelease --release-repo=... --version=v2.10.0")]
[Needs(SettingKeys.ReleaseRepo)]
[Needs(SettingKeys.Version)]
public sealed class TagRelease : FrostingTask<BuildContext>, IDryRunAware
{
    public override void Run(BuildContext context)
    {
        var tagger = new ReleaseTagger(context.Git(), context.IsDryRun, line => context.Log.Information("{0}", line));
        var outcome = tagger.Tag(context.ReleaseRepo, context.Release.Version!);
        if (outcome.Tag is not null)
        {
            context.Record("tag", outcome.Tag);
        }

        if (outcome.Branch is not null)
        {
            context.Record("branch", outcome.Branch);
        }
    }
}
