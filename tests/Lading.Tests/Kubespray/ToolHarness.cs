using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Lading.Tools.Ansible;
using Lading.Tools.Git;
using Lading.Tools.Nerdctl;

namespace Lading.Tests.Kubespray;

/// <summary>Lading's tool runners wired to the real process runner, or to a recording one that starts nothing.</summary>
public sealed class ToolHarness
{
    private readonly CakeEnvironment _environment = new(new CakePlatform(), new CakeRuntime());
    private readonly FileSystem _fileSystem = new();
    private readonly IToolLocator _tools;
    private readonly IProcessRunner _processRunner;

    public ToolHarness(IProcessRunner? recording = null)
    {
        var log = new NullLog();
        var configuration = new CakeConfigurationProvider(_fileSystem, _environment).CreateConfiguration(_environment.WorkingDirectory, new Dictionary<string, string>());
        _tools = new ToolLocator(_environment, new ToolRepository(_environment), new ToolResolutionStrategy(_fileSystem, _environment, new Globber(_fileSystem, _environment), configuration, log));
        _processRunner = recording ?? new ProcessRunner(_fileSystem, _environment, log, _tools, configuration);
    }

    public PlaybookScriptRunner PlaybookScript() => new(_fileSystem, _environment, _processRunner, _tools);

    public AnsiblePlaybookRunner AnsiblePlaybook() => new(_fileSystem, _environment, _processRunner, _tools);

    public NerdctlRunner Nerdctl() => new(_fileSystem, _environment, _processRunner, _tools);

    public GitRunner Git() => new(_fileSystem, _environment, _processRunner, _tools);
}
