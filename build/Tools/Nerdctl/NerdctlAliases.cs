using Cake.Core;
using Cake.Core.Annotations;

namespace Lading.Tools.Nerdctl;

[CakeAliasCategory("Nerdctl")]
public static class NerdctlAliases
{
    [CakeMethodAlias]
    public static NerdctlRunner Nerdctl(this ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);
}
