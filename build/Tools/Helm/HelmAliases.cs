using Cake.Core;
using Cake.Core.Annotations;

namespace Lading.Tools.Helm;

[CakeAliasCategory("Helm")]
public static class HelmAliases
{
    [CakeMethodAlias]
    public static HelmRunner Helm(this ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);
}
