using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools;

/// <summary>What a finished outside program printed.</summary>
public sealed record ToolResult(int ExitCode, IReadOnlyList<string> Output, IReadOnlyList<string> Errors)
{
    public string Text => string.Join('\n', Output);
}

/// <summary>A Cake tool whose output is captured, and whose failure raises a <see cref="ToolException"/> with what it printed.</summary>
public abstract class CapturingTool<TSettings>(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : Tool<TSettings>(fileSystem, environment, processRunner, tools)
    where TSettings : ToolSettings
{
    protected ToolResult Capture(TSettings settings, ProcessArgumentBuilder arguments, bool allowFailure = false)
    {
        var process = RunProcess(settings, arguments, new ProcessSettings
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Silent = false,
        });
        process.WaitForExit();
        var result = new ToolResult(process.GetExitCode(), process.GetStandardOutput()?.ToList() ?? [], process.GetStandardError()?.ToList() ?? []);
        if (result.ExitCode != 0 && !allowFailure)
        {
            throw new ToolException(GetToolName(), $"{GetToolName()} {arguments.RenderSafe()}", result.ExitCode, string.Join('\n', result.Errors.Concat(result.Output)));
        }

        return result;
    }

    protected static ProcessArgumentBuilder Args(params string[] words)
    {
        var args = new ProcessArgumentBuilder();
        foreach (var word in words)
        {
            args.Append(word);
        }

        return args;
    }
}
