using Cake.Frosting;
using Lading.Tasks.Images;
using Lading.Tasks.Package;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(Kubespray))]
[TaskDescription("The Kubespray package: GenerateKubesprayLists → ProposeListChanges → CheckImages → BuildKubesprayImage → the offline-resources steps on those lists → AssembleKubespray → Upload → Notify")]
[IsDependentOn(typeof(GenerateKubesprayLists))]
[IsDependentOn(typeof(ProposeListChanges))]
[IsDependentOn(typeof(CheckImages))]
[IsDependentOn(typeof(BuildKubesprayImage))]
[IsDependentOn(typeof(StartKubespray))]
[IsDependentOn(typeof(AssembleKubespray))]
[IsDependentOn(typeof(Upload))]
[IsDependentOn(typeof(Lading.Tasks.Package.Notify))]
public sealed class Kubespray : FrostingTask<BuildContext>
{
}
