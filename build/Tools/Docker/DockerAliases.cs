using Cake.Core;
using Cake.Core.Annotations;

namespace Lading.Tools.Docker;

[CakeAliasCategory("Docker")]
public static class DockerAliases
{
    [CakeMethodAlias]
    public static DockerBuildxRunner DockerBuildx(this ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);
}
