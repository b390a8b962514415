using Cake.Frosting;
using Lading.Tasks.Package;

namespace Lading.Tasks.OfflineResources;

[TaskName(nameof(OfflineResources))]
[TaskDescription("The offline-resources package: BuildOsRepos → DownloadFiles → SyncImages → AssembleOfflineResources → Upload → Notify")]
[IsDependentOn(typeof(StartOfflineResources))]
[IsDependentOn(typeof(AssembleOfflineResources))]
[IsDependentOn(typeof(Upload))]
[IsDependentOn(typeof(Lading.Tasks.Package.Notify))]
public sealed class OfflineResources : FrostingTask<BuildContext>
{
}
