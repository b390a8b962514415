using Cake.Core;
using Cake.Core.Annotations;

namespace Lading.Tools.Apt;

[CakeAliasCategory("Apt")]
public static class AptAliases
{
    [CakeMethodAlias]
    public static AptGetRunner AptGet(this ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);

    [CakeMethodAlias]
    public static DpkgScanPackagesRunner DpkgScanPackages(this ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);

    [CakeMethodAlias]
    public static AptFtpArchiveRunner AptFtpArchive(this ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);
}
