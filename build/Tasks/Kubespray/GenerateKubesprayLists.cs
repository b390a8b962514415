using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Kubespray;
using Lading.Recipes;
using Lading.Tools.Ansible;
using Lading.Tools.Git;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(GenerateKubesprayLists))]
[TaskDescription("Runs Kubespray's own contrib/offline/generate_list.sh (ansible) for --arch and --kube-version and writes files.list and images.list to --output exactly as it does")]
[Needs(SettingKeys.Kubespray)]
public sealed class GenerateKubesprayLists : FrostingTask<BuildContext>, IDryRunAware
{
    public override void Run(BuildContext context)
    {
        var work = context.PathOf(SettingKeys.Work);
        var source = context.Settings.Text(SettingKeys.Kubespray)!;
        var local = Path.GetFullPath(source, context.Environment.WorkingDirectory.FullPath);
        var tree = new KubesprayCheckout(context.Git()).Resolve(Directory.Exists(local) ? local : source, context.Settings.Text(SettingKeys.KubesprayRef), Path.Combine(work, "kubespray"));
        var request = new KubesprayListRequest(tree, context.Settings.Text(SettingKeys.Arch)!, context.Settings.Text(SettingKeys.KubeVersion));
        var output = context.OutputFolder;
        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] {0}", KubesprayListGenerator.Plan(request, output));
            return;
        }

        var lists = new KubesprayListGenerator(context.PlaybookScript()).Generate(request, output, Path.Combine(work, "ansible"));
        context.GeneratedLists = output;
        context.Record("files.list", Path.Combine(output, KubesprayLists.FilesName));
        context.Record("images.list", Path.Combine(output, KubesprayLists.ImagesName));
        context.Log.Information("{0} file(s), {1} image(s) for {2}", Count(lists.FilesText), Count(lists.ImagesText), request.Architecture);
    }

    private static int Count(string text) => text.Split('\n').Count(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
}
