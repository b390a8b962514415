using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tests.Fixtures;

/// <summary>Cake's real file system, environment, tool locator and process runner, for tools run for real in tests.</summary>
public sealed class RealCake
{
    public RealCake()
    {
        var log = new NullLog();
        var configuration = new CakeConfigurationProvider(FileSystem, Environment).CreateConfiguration(Environment.WorkingDirectory, new Dictionary<string, string>());
        Tools = new ToolLocator(Environment, new ToolRepository(Environment), new ToolResolutionStrategy(FileSystem, Environment, new Globber(FileSystem, Environment), configuration, log));
        Runner = new ProcessRunner(FileSystem, Environment, log, Tools, configuration);
    }

    public FileSystem FileSystem { get; } = new();

    public CakeEnvironment Environment { get; } = new(new CakePlatform(), new CakeRuntime());

    public IToolLocator Tools { get; }

    public IProcessRunner Runner { get; }
}
