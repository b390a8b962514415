using Cake.Frosting;
using Lading.Packaging;
using Lading.Tasks.Delivery;

namespace Lading.Tasks.Package;

[TaskName(nameof(Package))]
[TaskDescription("The platform package of a release: PackageCharts → SyncImages → AssemblePackage → Upload → Notify")]
[CommandLine("./build.sh --target=Package --release-repo=<url|path> --version=vX.Y.Z [--source-registry=...] [--output=artifacts] [--upload=<url>]")]
[IsDependentOn(typeof(AssemblePackage))]
[IsDependentOn(typeof(Upload))]
[IsDependentOn(typeof(Notify))]
[OpensPackage(PackageKind.Platform)]
public sealed class Package : FrostingTask<BuildContext>
{
}
