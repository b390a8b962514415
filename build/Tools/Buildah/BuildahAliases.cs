using Cake.Core;
using Cake.Core.Annotations;

namespace Lading.Tools.Buildah;

[CakeAliasCategory("Buildah")]
public static class BuildahAliases
{
    [CakeMethodAlias]
    public static BuildahRunner Buildah(this ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);
}
