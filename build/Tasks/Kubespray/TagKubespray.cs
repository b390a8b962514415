using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Kubespray;
using Lading.Recipes;
using Lading.Release;
using Lading.Tools.Git;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(TagKubespray))]
[TaskDescription("After the list change is merged: tags the Kubespray release repo's branch head --version=vX.Y.Z (annotated, naming how many files and images its lists hold); never moves a tag. The Kubespray package is built from such a tag")]
[CommandLine("./build.sh --target=TagKubespray --release-repo=... --version=v2.26.0")]
[Needs(SettingKeys.ReleaseRepo)]
[Needs(SettingKeys.Version)]
public sealed class TagKubespray : FrostingTask<BuildContext>, IDryRunAware
{
    public override void Run(BuildContext context)
    {
        var repo = context.ReleaseRepo;
        var version = context.Release.Version!;
        var tagger = new ReleaseTagger(context.Git(), context.IsDryRun, line => context.Log.Information("{0}", line));
        var outcome = tagger.Tag(repo, version, () => KubesprayLists.ReadFrom(repo.Root).TagMessage(version), releaseBranch: false);
        if (outcome.Tag is not null)
        {
            context.Record("tag", outcome.Tag);
        }
    }
}
