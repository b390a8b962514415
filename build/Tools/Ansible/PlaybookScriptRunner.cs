using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Ansible;

/// <summary>
/// A bash script that calls ansible-playbook itself and passes its own arguments on (as Kubespray's
/// contrib/offline/generate_list.sh does): run with bash, in the isolated ansible environment.
/// The settings' ToolPath, when set, is bash.
/// </summary>
public sealed class PlaybookScriptRunner(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : CapturingTool<AnsiblePlaybookSettings>(fileSystem, environment, processRunner, tools)
{
    private readonly ICakeEnvironment _environment = environment;

    protected override string GetToolName() => "bash";

    protected override IEnumerable<string> GetToolExecutableNames() => ["bash"];

    public ToolResult Run(FilePath script, AnsiblePlaybookSettings settings)
    {
        AnsibleEnvironment.Apply(settings, _environment.GetEnvironmentVariable("PATH"));
        var args = new ProcessArgumentBuilder().AppendQuoted(script.FullPath);
        foreach (var option in AnsibleEnvironment.PlaybookOptions(settings))
        {
            args.AppendQuoted(option);
        }

        return Capture(settings, args);
    }
}
