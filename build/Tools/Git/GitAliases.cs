using Cake.Core;
using Cake.Core.Annotations;

namespace Lading.Tools.Git;

[CakeAliasCategory("Git")]
public static class GitAliases
{
    [CakeMethodAlias]
    public static GitRunner Git(this ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);
}
