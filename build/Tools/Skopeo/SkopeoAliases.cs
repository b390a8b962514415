using Cake.Core;
using Cake.Core.Annotations;

namespace Lading.Tools.Skopeo;

[CakeAliasCategory("Skopeo")]
public static class SkopeoAliases
{
    [CakeMethodAlias]
    public static SkopeoRunner Skopeo(this ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);
}
