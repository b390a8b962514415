using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Kubespray;
using Lading.Notify;
using Lading.Recipes;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(ProposeListChanges))]
[TaskDescription("Compares the generated lists with files.list and images.list committed in the Kubespray release repo; when they differ, commits them, opens a pull request and notifies")]
[IsDependentOn(typeof(GenerateKubesprayLists))]
public sealed class ProposeListChanges : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(context.Settings.Has(SettingKeys.ReleaseRepo), "no Kubespray release repo given (--release-repo), so the lists are not compared");

    public override async Task RunAsync(BuildContext context)
    {
        var generated = KubesprayLists.ReadFrom(context.GeneratedLists ?? context.OutputFolder);
        var repo = context.ReleaseRepo;
        var changes = Lading.Kubespray.ProposeListChanges.Compare(generated, KubesprayLists.ReadFrom(repo.Root));
        if (!changes.Differs)
        {
            context.Log.Information("The committed lists match what Kubespray generates: nothing to propose");
            context.Record("lists", "unchanged");
            return;
        }

        var reference = context.Settings.Text(SettingKeys.KubesprayRef);
        var title = $"Kubespray {reference ?? "lists"} ({context.Settings.Text(SettingKeys.Arch)})";
        var markdown = changes.ToMarkdown(title);
        context.Log.Information("{0}", markdown);
        context.Record("lists", "changed");
        if (!context.IsDryRun)
        {
            generated.WriteTo(repo.Root);
        }

        await context.ProposeAsync("lading/kubespray-", reference, title, $"{title}\n", new ReleaseNotice(title) { Details = [new NoticeDetails("List changes", markdown, IsMarkdown: true)] });
    }
}
