using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Ansible;

/// <summary>ansible-playbook, always in the isolated environment of <see cref="AnsibleEnvironment"/>.</summary>
public sealed class AnsiblePlaybookRunner(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : CapturingTool<AnsiblePlaybookSettings>(fileSystem, environment, processRunner, tools)
{
    private readonly ICakeEnvironment _environment = environment;

    protected override string GetToolName() => "ansible-playbook";

    protected override IEnumerable<string> GetToolExecutableNames() => ["ansible-playbook"];

    public ToolResult Run(FilePath playbook, AnsiblePlaybookSettings settings)
    {
        AnsibleEnvironment.Apply(settings, _environment.GetEnvironmentVariable("PATH"));
        var args = new ProcessArgumentBuilder();
        foreach (var option in AnsibleEnvironment.PlaybookOptions(settings))
        {
            args.AppendQuoted(option);
        }

        return Capture(settings, args.AppendQuoted(playbook.FullPath));
    }
}
