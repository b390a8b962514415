using Cake.Frosting;

namespace Lading.Tasks.Package;

[TaskName(nameof(Package))]
[TaskDescription("The platform package of a release: PackageCharts → SyncImages → AssemblePackage → Upload → Notify")]
[IsDependentOn(typeof(AssemblePackage))]
[IsDependentOn(typeof(Upload))]
[IsDependentOn(typeof(Notify))]
public sealed class Package : FrostingTask<BuildContext>
{
}
