using Cake.Core;
using Cake.Core.Annotations;

namespace Lading.Tools.Ansible;

[CakeAliasCategory("Ansible")]
public static class AnsibleAliases
{
    [CakeMethodAlias]
    public static AnsiblePlaybookRunner AnsiblePlaybook(this ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);

    [CakeMethodAlias]
    public static PlaybookScriptRunner PlaybookScript(this ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);
}
