using Cake.Frosting;
using Lading.Packaging;

namespace Lading.Tasks.Hotfix;

[TaskName(nameof(Hotfix))]
[TaskDescription("A hotfix package: only the charts changed since --base-version and only the images that release lacks; its install.sh installs only on that base or an earlier hotfix of it")]
[CommandLine("./build.sh --target=Hotfix --release-repo=... --base-version=v2.10.1 --version=v2.10.2 [--base-package=<tar>]")]
[IsDependentOn(typeof(DiffImages))]
[IsDependentOn(typeof(Lading.Tasks.Package.Package))]
[OpensPackage(PackageKind.Hotfix)]
public sealed class Hotfix : FrostingTask<BuildContext>
{
}
