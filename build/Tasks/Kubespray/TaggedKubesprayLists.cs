using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Kubespray;
using Lading.Packaging;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(TaggedKubesprayLists))]
[TaskDescription("For a Kubespray package built from a release repo: takes files.list and images.list as the repo's tag --version holds them (lists reviewed and merged), so the package never ships unreviewed lists")]
[CommandLine("part of Kubespray (--release-repo= --version=)")]
public sealed class TaggedKubesprayLists : FrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(context.HasReleaseRepo, "no Kubespray release repo given (--release-repo): the package is built from the lists generated in this run, which nobody reviewed");

    public override void Run(BuildContext context)
    {
        var version = context.Release.Version
            ?? throw new PackageException("A Kubespray package built from a release repo is built from a tag of it: pass --version=<tag> (see TagKubespray).");
        var lists = KubesprayLists.ReadFrom(context.ReleaseRepo.FilesAt(version, context.Paths.Work, $"kubespray-lists-{version}"));
        if (lists.Files.Length == 0 && lists.Images.Length == 0)
        {
            throw new PackageException($"{context.ReleaseRepo.Source} holds no files.list or images.list at {version}: propose the lists (KubesprayReview) and tag them (TagKubespray) first.");
        }

        lists.WriteTo(context.Paths.Output);
        context.Log.Information("Lists of {0} at {1}: {2} file(s), {3} image(s)", context.ReleaseRepo.Source, version, ListText.Texts(lists.FilesText).Count, ListText.Texts(lists.ImagesText).Count);
        context.Record("lists", $"{context.ReleaseRepo.Source}@{version}");
    }
}
