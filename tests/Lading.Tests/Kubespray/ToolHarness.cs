using Cake.Core.IO;
using Lading.Tests.Fixtures;
using Lading.Tools.Ansible;
using Lading.Tools.Git;
using Lading.Tools.Nerdctl;

namespace Lading.Tests.Kubespray;

/// <summary>Lading's tool runners wired to the real process runner, or to a recording one that starts nothing.</summary>
public sealed class ToolHarness
{
    private readonly RealCake _cake = new();
    private readonly IProcessRunner _processRunner;

    public ToolHarness(IProcessRunner? recording = null)
    {
        _processRunner = recording ?? _cake.Runner;
    }

    public PlaybookScriptRunner PlaybookScript() => new(_cake.FileSystem, _cake.Environment, _processRunner, _cake.Tools);

    public AnsiblePlaybookRunner AnsiblePlaybook() => new(_cake.FileSystem, _cake.Environment, _processRunner, _cake.Tools);

    public NerdctlRunner Nerdctl() => new(_cake.FileSystem, _cake.Environment, _processRunner, _cake.Tools);

    public GitRunner Git() => new(_cake.FileSystem, _cake.Environment, _processRunner, _cake.Tools);
}
