using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Lading.Tests.Fixtures;
using Lading.Tools.Ansible;
using Lading.Tools.Git;
using Lading.Tools.Nerdctl;

namespace Lading.Tests.Kubespray;

/// <summary>
/// Lading's tool runners wired to the real tools and process runner, or to a <see cref="ToolFixture"/>'s stand-ins
/// and recording runner that start nothing.
/// </summary>
public sealed class ToolHarness
{
    private readonly IFileSystem _fileSystem;
    private readonly ICakeEnvironment _environment;
    private readonly IProcessRunner _processRunner;
    private readonly IToolLocator _tools;

    public ToolHarness()
        : this(new RealCake())
    {
    }

    public ToolHarness(ToolFixture fake)
        : this(fake.FileSystem, fake.Environment, fake.Runner, fake.Tools)
    {
    }

    private ToolHarness(RealCake real)
        : this(real.FileSystem, real.Environment, real.Runner, real.Tools)
    {
    }

    private ToolHarness(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    {
        _fileSystem = fileSystem;
        _environment = environment;
        _processRunner = processRunner;
        _tools = tools;
    }

    public PlaybookScriptRunner PlaybookScript() => new(_fileSystem, _environment, _processRunner, _tools);

    public AnsiblePlaybookRunner AnsiblePlaybook() => new(_fileSystem, _environment, _processRunner, _tools);

    public NerdctlRunner Nerdctl() => new(_fileSystem, _environment, _processRunner, _tools);

    public GitRunner Git() => new(_fileSystem, _environment, _processRunner, _tools);
}
