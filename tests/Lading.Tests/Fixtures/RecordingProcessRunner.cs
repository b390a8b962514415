using Cake.Core.IO;

namespace Lading.Tests.Fixtures;

/// <summary>Records every command line a tool would run and answers with canned output instead of starting a process.</summary>
public sealed class RecordingProcessRunner : IProcessRunner
{
    public List<string> CommandLines { get; } = [];

    public List<ProcessSettings> Settings { get; } = [];

    /// <summary>Output and exit code for a command line; by default nothing printed and success.</summary>
    public Func<string, (int ExitCode, string[] Output, string[] Errors)> Respond { get; set; } = _ => (0, [], []);

    public IProcess Start(FilePath filePath, ProcessSettings settings)
    {
        var commandLine = $"{filePath.GetFilename()} {settings.Arguments.Render()}".TrimEnd();
        CommandLines.Add(commandLine);
        Settings.Add(settings);
        var (exitCode, output, errors) = Respond(commandLine);
        return new FinishedProcess(exitCode, output, errors);
    }

    private sealed class FinishedProcess(int exitCode, string[] output, string[] errors) : IProcess
    {
        public void WaitForExit()
        {
        }

        public bool WaitForExit(int milliseconds) => true;

        public int GetExitCode() => exitCode;

        public IEnumerable<string> GetStandardError() => errors;

        public IEnumerable<string> GetStandardOutput() => output;

        public void Kill()
        {
        }

        public void Dispose()
        {
        }
    }
}
