using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Apt;

/// <summary>The apt-get commands Lading runs, always inside the isolated root its settings name.</summary>
public sealed class AptGetRunner(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : CapturingTool<AptGetSettings>(fileSystem, environment, processRunner, tools)
{
    protected override string GetToolName() => "apt-get";

    protected override IEnumerable<string> GetToolExecutableNames() => ["apt-get"];

    /// <summary>Fetches the package indexes of the root's sources.</summary>
    public ToolResult Update(AptGetSettings settings) =>
        Capture(Prepared(settings), Command(settings, "update"));

    /// <summary>What `install` would do, without doing it: the `Inst` lines are the closure. Fails are returned, not thrown, so the caller can name the missing package.</summary>
    public ToolResult SimulateInstall(IEnumerable<string> packages, AptGetSettings settings) =>
        Capture(Prepared(settings), Words(Command(settings, "--simulate", "--no-install-recommends", "install"), packages), allowFailure: true);

    /// <summary>Installs nothing: fetches the packages an install would need into the archives folder.</summary>
    public ToolResult InstallDownloadOnly(IEnumerable<string> packages, AptGetSettings settings) =>
        Capture(Prepared(settings), Words(Command(settings, "--yes", "--download-only", "--no-install-recommends", "install"), packages));

    /// <summary>Fetches exactly these packages (name=version) into the settings' working directory; files already there are kept.</summary>
    public ToolResult Download(IEnumerable<string> packages, AptGetSettings settings) =>
        Capture(Prepared(settings), Words(Command(settings, "download"), packages));

    private static AptGetSettings Prepared(AptGetSettings settings)
    {
        if (settings.ConfigFile is { } config)
        {
            // apt reads APT_CONFIG before the command line, instead of the host's apt.conf and apt.conf.d.
            settings.EnvironmentVariables["APT_CONFIG"] = config.FullPath;
        }

        return settings;
    }

    private static ProcessArgumentBuilder Command(AptGetSettings settings, params string[] words)
    {
        var args = new ProcessArgumentBuilder();
        foreach (var (name, value) in settings.AllOptions())
        {
            args.Append("-o").AppendQuoted($"{name}={value}");
        }

        foreach (var word in words)
        {
            args.Append(word);
        }

        return args;
    }

    private static ProcessArgumentBuilder Words(ProcessArgumentBuilder args, IEnumerable<string> words)
    {
        foreach (var word in words)
        {
            args.AppendQuoted(word);
        }

        return args;
    }
}
