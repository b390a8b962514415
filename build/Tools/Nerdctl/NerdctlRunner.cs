using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Nerdctl;

/// <summary>The nerdctl commands a site runs: load image archives, start the compose file, run the Kubespray image.</summary>
public sealed class NerdctlRunner(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : CapturingTool<NerdctlSettings>(fileSystem, environment, processRunner, tools)
{
    protected override string GetToolName() => "nerdctl";

    protected override IEnumerable<string> GetToolExecutableNames() => ["nerdctl"];

    /// <summary>Loads an image archive (docker or OCI) into containerd.</summary>
    public ToolResult Load(FilePath archive, NerdctlSettings? settings = null)
    {
        settings ??= new NerdctlSettings();
        return Capture(settings, Global(settings).Append("load").Append("-i").AppendQuoted(archive.FullPath));
    }

    public ToolResult ComposeUp(FilePath composeFile, string? project = null, NerdctlSettings? settings = null)
    {
        settings ??= new NerdctlSettings();
        return Capture(settings, Compose(settings, composeFile, project).Append("up").Append("-d"));
    }

    public ToolResult ComposeDown(FilePath composeFile, string? project = null, NerdctlSettings? settings = null)
    {
        settings ??= new NerdctlSettings();
        return Capture(settings, Compose(settings, composeFile, project).Append("down"));
    }

    public ToolResult Run(NerdctlRun run, NerdctlSettings? settings = null)
    {
        settings ??= new NerdctlSettings();
        return Capture(settings, RunArguments(Global(settings), run));
    }

    /// <summary>The words of <c>nerdctl run</c> after the global options; install scripts print the same command.</summary>
    public static ProcessArgumentBuilder RunArguments(ProcessArgumentBuilder args, NerdctlRun run)
    {
        args.Append("run");
        if (run.Remove)
        {
            args.Append("--rm");
        }

        if (run.Name is { } name)
        {
            args.Append("--name").AppendQuoted(name);
        }

        if (run.HostNetwork)
        {
            args.Append("--network").Append("host");
        }

        foreach (var volume in run.Volumes)
        {
            args.Append("-v").AppendQuoted(volume.ToString());
        }

        foreach (var (key, value) in run.Environment)
        {
            args.Append("-e").AppendQuoted($"{key}={value}");
        }

        args.AppendQuoted(run.Image);
        foreach (var argument in run.Arguments)
        {
            args.AppendQuoted(argument);
        }

        return args;
    }

    private static ProcessArgumentBuilder Global(NerdctlSettings settings)
    {
        var args = new ProcessArgumentBuilder();
        if (settings.Namespace is { } ns)
        {
            args.Append("--namespace").AppendQuoted(ns);
        }

        return args;
    }

    private static ProcessArgumentBuilder Compose(NerdctlSettings settings, FilePath composeFile, string? project)
    {
        var args = Global(settings).Append("compose").Append("-f").AppendQuoted(composeFile.FullPath);
        if (project is not null)
        {
            args.Append("-p").AppendQuoted(project);
        }

        return args;
    }
}
