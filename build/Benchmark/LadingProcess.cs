using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Lading.Tools;

namespace Lading.Benchmark;

public sealed class LadingProcessSettings : ToolSettings
{
}

/// <summary>
/// Lading's own built host run as a process of its own, <c>dotnet &lt;host&gt;/Lading.dll --target=X ...</c>, as
/// build.sh runs it: what the benchmark times is a whole build, start-up included.
/// </summary>
public sealed class LadingProcess(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools, string hostAssembly)
    : CapturingTool<LadingProcessSettings>(fileSystem, environment, processRunner, tools)
{
    public string HostAssembly { get; } = hostAssembly;

    protected override string GetToolName() => "dotnet";

    protected override IEnumerable<string> GetToolExecutableNames() => ["dotnet"];

    /// <summary>Runs one build with these arguments; a failed build raises a ToolException with what it printed.</summary>
    public ToolResult Run(IEnumerable<string> arguments, LadingProcessSettings? settings = null)
    {
        var args = new ProcessArgumentBuilder().AppendQuoted(HostAssembly);
        foreach (var argument in arguments)
        {
            args.AppendQuoted(argument);
        }

        return Capture(settings ?? new LadingProcessSettings(), args);
    }

    /// <summary>
    /// The settings that run this very host's dotnet: the muxer this process runs under when it is one, else dotnet
    /// from PATH.
    /// </summary>
    public static LadingProcessSettings SameRuntime()
    {
        var current = Environment.ProcessPath;
        return current is not null && System.IO.Path.GetFileNameWithoutExtension(current) == "dotnet"
            ? new LadingProcessSettings { ToolPath = new FilePath(current) }
            : new LadingProcessSettings();
    }
}
