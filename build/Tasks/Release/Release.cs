using Cake.Frosting;

namespace Lading.Tasks.Release;

[TaskName(nameof(Release))]
[TaskDescription("The Release pipeline: resolve tags, collect charts, update version.yml and image lists, check images, propose the change for review")]
[CommandLine("./build.sh --target=Release --recipe=recipes/release.yaml [--version=v2.10.2]")]
[IsDependentOn(typeof(ProposeRelease))]
public sealed class Release : FrostingTask<BuildContext>
{
}
