using System.Diagnostics;
using System.Text.Json;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

/// <summary>Runs skopeo, the independent check of what Lading wrote; a failure carries skopeo's own words.</summary>
public static class SkopeoCli
{
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Requires.Tool("skopeo", "skopeo"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // An empty policy file would refuse every image; tests accept anything they made themselves.
        start.ArgumentList.Insert(0, "--insecure-policy");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"skopeo {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await error}\n{await output}");
        }

        return await output;
    }

    /// <summary><c>skopeo inspect --raw</c>: the manifest bytes exactly as served.</summary>
    public static async Task<string> RawManifestAsync(string transportReference, params string[] options) =>
        await RunAsync(["inspect", "--raw", .. options, transportReference]);

    /// <summary><c>skopeo inspect</c>: the JSON summary (Digest, Layers...).</summary>
    public static async Task<JsonElement> InspectAsync(string transportReference, params string[] options)
    {
        var text = await RunAsync(["inspect", .. options, transportReference]);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
