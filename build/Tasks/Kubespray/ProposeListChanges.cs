using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Chat;
using Lading.Kubespray;
using Lading.Release;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(ProposeListChanges))]
[TaskDescription("Compares the generated lists with files.list and images.list committed in the Kubespray release repo; when they differ, commits them, opens a pull request and notifies")]
[CommandLine("part of KubesprayReview")]
[IsDependentOn(typeof(GenerateKubesprayLists))]
[IsDependentOn(typeof(Lading.Tasks.Images.CheckImages))]
public sealed class ProposeListChanges : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(context.HasReleaseRepo, "no Kubespray release repo given (--release-repo), so the lists are not compared");

    public override async Task RunAsync(BuildContext context)
    {
        var generated = KubesprayLists.ReadFrom(context.Paths.Output);
        var repo = context.ReleaseRepo;
        var changes = Lading.Kubespray.ProposeListChanges.Compare(generated, KubesprayLists.ReadFrom(repo.Root));
        if (!changes.Differs)
        {
            context.Log.Information("The committed lists match what Kubespray generates: nothing to propose");
            context.Record("lists", "unchanged");
            Lading.Tasks.Release.ProposeRelease.FailIfImagesAreMissing(context.ReleaseReport);
            return;
        }

        var reference = context.Kubespray.Ref;
        var title = $"Kubespray {reference ?? "lists"} ({context.Kubespray.Arch})";
        var markdown = changes.ToMarkdown(title);
        context.Log.Information("{0}", markdown);
        context.Record("lists", "changed");
        if (!context.IsDryRun)
        {
            generated.WriteTo(repo.Root);
        }

        var missing = context.ReleaseReport.MissingImages;
        var notice = new ReleaseNotice(title)
        {
            Details = [.. missing.Count > 0 ? new[] { MissingImages.Details(missing) } : [], new NoticeDetails("List changes", markdown, IsMarkdown: true)],
            Mentions = context.ReleaseReport.OwnersOfMissing(),
        };
        context.RecordProposal(await context.Proposal.ProposeAsync(repo, new ProposalRequest("lading/kubespray-", reference, title, $"{title}\n", notice), CancellationToken.None));
        Lading.Tasks.Release.ProposeRelease.FailIfImagesAreMissing(context.ReleaseReport);
    }
}
