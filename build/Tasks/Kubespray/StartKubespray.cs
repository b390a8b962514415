using Cake.Frosting;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(StartKubespray))]
[TaskDescription("Opens the Kubespray package folder, so the offline-resources steps after it write into the package")]
public sealed class StartKubespray : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => context.ListPackage("kubespray");
}
