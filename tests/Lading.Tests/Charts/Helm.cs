using System.Diagnostics;

namespace Lading.Tests.Charts;

/// <summary>Runs the real helm binary the tests found, failing with its output when it fails.</summary>
internal sealed class Helm(string executable)
{
    public string Run(params string[] arguments)
    {
        var (code, output) = TryRun(arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"helm {string.Join(' ', arguments)} exited with {code}:\n{output}");
        }

        return output;
    }

    public (int Code, string Output) TryRun(params string[] arguments)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Keep helm away from the user's own configuration and caches.
        var home = Path.Combine(Path.GetTempPath(), "lading-test-helm-home");
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
