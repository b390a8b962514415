using Cake.Frosting;
using Lading.Packaging;
using Lading.Tasks.Delivery;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(Kubespray))]
[TaskDescription("The Kubespray package: the lists tagged in the Kubespray release repo (TaggedKubesprayLists; generated in this run when no release repo is given) → BuildKubesprayImage → the offline-resources steps on those lists → AssembleKubespray → Upload → Notify")]
[CommandLine("./build.sh --target=Kubespray --recipe=recipes/kubespray.yaml")]
[IsDependentOn(typeof(TaggedKubesprayLists))]
[IsDependentOn(typeof(GenerateKubesprayLists))]
[IsDependentOn(typeof(BuildKubesprayImage))]
[IsDependentOn(typeof(AssembleKubespray))]
[IsDependentOn(typeof(Upload))]
[IsDependentOn(typeof(Notify))]
[OpensPackage(PackageKind.Kubespray)]
public sealed class Kubespray : FrostingTask<BuildContext>
{
}
