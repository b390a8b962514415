using Cake.Frosting;

namespace Lading.Tasks.OfflineResources;

[TaskName(nameof(StartOfflineResources))]
[TaskDescription("Opens the offline-resources package folder, so the steps after it (repos, files, images) write into the package")]
public sealed class StartOfflineResources : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => context.ListPackage("offline-resources");
}
