using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Kubespray;
using Lading.Recipes;
using Lading.Tools.Ansible;
using Lading.Tools.Git;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(GenerateKubesprayLists))]
[TaskDescription("Runs Kubespray's own contrib/offline/generate_list.sh (ansible) for --arch and --kube-version and writes files.list and images.list to --output exactly as it does")]
[CommandLine("./build.sh --target=GenerateKubesprayLists --kubespray=<path|git URL> [--kubespray-ref=<tag|branch|commit>] [--arch=amd64|arm64] [--kube-version=...] --output=<dir>")]
[Needs(SettingKeys.Kubespray)]
public sealed class GenerateKubesprayLists : FrostingTask<BuildContext>, IDryRunAware
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(!context.ListsFromTag, "the package is built from the lists tagged in the Kubespray release repo, not from lists generated now");

    public override void Run(BuildContext context)
    {
        var kubespray = context.Kubespray;
        var work = context.Paths.Work;
        var tree = context.KubesprayTree;
        var request = new KubesprayListRequest(tree, kubespray.Arch, kubespray.KubeVersion);
        var output = context.Paths.Output;
        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] {0}", KubesprayListGenerator.Plan(request, output));
            return;
        }

        var lists = new KubesprayListGenerator(context.PlaybookScript()).Generate(request, output, Path.Combine(work, "ansible"));
        context.Record("files.list", Path.Combine(output, KubesprayLists.FilesName));
        context.Record("images.list", Path.Combine(output, KubesprayLists.ImagesName));
        context.Log.Information("{0} file(s), {1} image(s) for {2}", ListText.Texts(lists.FilesText).Count, ListText.Texts(lists.ImagesText).Count, request.Architecture);
    }
}
