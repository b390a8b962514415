using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Frosting;
using Lading.Kubespray;
using Lading.OsRepos;
using Lading.Tools.Buildah;
using Lading.Tools.Docker;
using Lading.Tools.Git;
using Path = System.IO.Path;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(BuildKubesprayImage))]
[TaskDescription("Builds the Kubespray runner image (a generated Dockerfile, with buildah or docker buildx), pushes it to the internal registry and adds it to the image list")]
[CommandLine("part of Kubespray")]
[IsDependentOn(typeof(TaggedKubesprayLists))]
[IsDependentOn(typeof(GenerateKubesprayLists))]
public sealed class BuildKubesprayImage : FrostingTask<BuildContext>, IDryRunAware
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(context.Images.InternalRegistry is not null, "no internal registry given (--registry): the Kubespray image is pushed there, so it was not built");

    public override void Run(BuildContext context)
    {
        var kubespray = context.Kubespray;
        var registry = context.Images.InternalRegistry!;
        var image = new KubesprayImage(kubespray.BaseImage, kubespray.Version);
        var work = context.Paths.Work;
        var tree = context.KubesprayTree;
        var dockerfile = Path.Combine(work, "kubespray-image", "Dockerfile");
        Directory.CreateDirectory(Path.GetDirectoryName(dockerfile)!);
        File.WriteAllText(dockerfile, image.Dockerfile());
        File.WriteAllText(Path.Combine(tree, ".dockerignore"), KubesprayImage.DockerIgnore());
        var siteName = KubesprayImage.SiteNameFor(kubespray.Version);
        var target = $"{registry}/{siteName}";
        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] would build {0} from {1} and push it:\n{2}", target, tree, image.Dockerfile());
            return;
        }

        if (context.Offline.OsBuilder == ContainerBuilder.DockerBuildx)
        {
            context.DockerBuildx().Build(new DirectoryPath(tree), new DockerBuildxSettings { File = dockerfile, Tag = target, Push = true });
        }
        else
        {
            context.Buildah().Bud(new DirectoryPath(tree), new BuildahSettings { File = dockerfile, Tag = target });
            var insecure = context.Images.InsecureRegistries.Contains(registry) || registry.StartsWith("127.", StringComparison.Ordinal) || registry.StartsWith("localhost", StringComparison.Ordinal);
            context.Buildah().Push(target, target, tlsVerify: !insecure, new BuildahSettings());
        }

        var list = Path.Combine(context.Paths.Output, KubesprayLists.ImagesName);
        if (!File.ReadAllLines(list).Contains(siteName))
        {
            File.AppendAllText(list, siteName + "\n");
        }

        context.Log.Information("Built and pushed {0}", target);
        context.Record("image", target);
    }
}
