using Cake.Frosting;
using Lading.Packaging;
using Lading.Tasks.Delivery;
using Lading.Tasks.Images;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(Kubespray))]
[TaskDescription("The Kubespray package: GenerateKubesprayLists → ProposeListChanges → CheckImages → BuildKubesprayImage → the offline-resources steps on those lists → AssembleKubespray → Upload → Notify")]
[CommandLine("./build.sh --target=Kubespray --recipe=recipes/kubespray.yaml")]
[IsDependentOn(typeof(GenerateKubesprayLists))]
[IsDependentOn(typeof(ProposeListChanges))]
[IsDependentOn(typeof(CheckImages))]
[IsDependentOn(typeof(BuildKubesprayImage))]
[IsDependentOn(typeof(AssembleKubespray))]
[IsDependentOn(typeof(Upload))]
[IsDependentOn(typeof(Notify))]
[OpensPackage(PackageKind.Kubespray)]
public sealed class Kubespray : FrostingTask<BuildContext>
{
}
