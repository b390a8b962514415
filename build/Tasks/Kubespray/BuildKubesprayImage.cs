using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Frosting;
using Lading.Kubespray;
using Lading.Recipes;
using Lading.Tools.Buildah;
using Lading.Tools.Docker;
using Lading.Tools.Git;
using Path = System.IO.Path;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(BuildKubesprayImage))]
[TaskDescription("Builds the Kubespray runner image (a generated Dockerfile, with buildah or docker buildx), pushes it to the internal registry and adds it to the image list")]
[IsDependentOn(typeof(GenerateKubesprayLists))]
public sealed class BuildKubesprayImage : FrostingTask<BuildContext>, IDryRunAware
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(context.Settings.Has(SettingKeys.Registry), "no internal registry given (--registry): the Kubespray image is pushed there, so it was not built");

    public override void Run(BuildContext context)
    {
        var version = context.Settings.Text(SettingKeys.KubesprayRef) ?? "latest";
        var image = new KubesprayImage(context.Settings.Text(SettingKeys.KubesprayBaseImage)!, version);
        var tree = new KubesprayCheckout(context.Git()).Resolve(
            Directory.Exists(context.PathOf(SettingKeys.Kubespray)) ? context.PathOf(SettingKeys.Kubespray) : context.Settings.Text(SettingKeys.Kubespray)!,
            context.Settings.Text(SettingKeys.KubesprayRef),
            Path.Combine(context.PathOf(SettingKeys.Work), "kubespray"));
        var dockerfile = Path.Combine(context.PathOf(SettingKeys.Work), "kubespray-image", "Dockerfile");
        Directory.CreateDirectory(Path.GetDirectoryName(dockerfile)!);
        File.WriteAllText(dockerfile, image.Dockerfile());
        File.WriteAllText(Path.Combine(tree, ".dockerignore"), KubesprayImage.DockerIgnore());
        var siteName = $"release/kubespray:{version}";
        var target = $"{context.Settings.Text(SettingKeys.Registry)}/{siteName}";
        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] would build {0} from {1} and push it:\n{2}", target, tree, image.Dockerfile());
            return;
        }

        if (context.Settings.Text(SettingKeys.OsBuilder) == "buildx")
        {
            context.DockerBuildx().Build(new DirectoryPath(tree), new DockerBuildxSettings { File = dockerfile, Tag = target, Push = true });
        }
        else
        {
            var settings = new BuildahSettings { File = dockerfile, Tag = target };
            context.Buildah().Bud(new DirectoryPath(tree), settings);
            var insecure = context.Settings.List(SettingKeys.InsecureRegistries).Contains(context.Settings.Text(SettingKeys.Registry)!)
                || context.Settings.Text(SettingKeys.Registry)!.StartsWith("127.", StringComparison.Ordinal)
                || context.Settings.Text(SettingKeys.Registry)!.StartsWith("localhost", StringComparison.Ordinal);
            context.Buildah().Push(target, target, tlsVerify: !insecure, new BuildahSettings());
        }

        var list = Path.Combine(context.GeneratedLists ?? context.OutputFolder, KubesprayLists.ImagesName);
        if (!File.ReadAllLines(list).Contains(siteName))
        {
            File.AppendAllText(list, siteName + "\n");
        }

        context.Log.Information("Built and pushed {0}", target);
        context.Record("image", target);
    }
}
