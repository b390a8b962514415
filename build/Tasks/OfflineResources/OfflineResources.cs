using Cake.Frosting;
using Lading.Packaging;
using Lading.Tasks.Delivery;

namespace Lading.Tasks.OfflineResources;

[TaskName(nameof(OfflineResources))]
[TaskDescription("The offline-resources package: BuildOsRepos → DownloadFiles → SyncImages → AssembleOfflineResources → Upload → Notify")]
[CommandLine("./build.sh --target=OfflineResources --recipe=recipes/offline-resources.yaml")]
[IsDependentOn(typeof(AssembleOfflineResources))]
[IsDependentOn(typeof(Upload))]
[IsDependentOn(typeof(Notify))]
[OpensPackage(PackageKind.OfflineResources)]
public sealed class OfflineResources : FrostingTask<BuildContext>
{
}
