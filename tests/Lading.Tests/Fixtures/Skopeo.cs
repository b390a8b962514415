using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lading.Images;

namespace Lading.Tests.Fixtures;

/// <summary>Runs skopeo, the independent check of what Lading wrote or a registry serves; a failure carries skopeo's own words.</summary>
public static class Skopeo
{
    public static async Task<string> RunAsync(params string[] arguments) =>
        Encoding.UTF8.GetString(await RunBytesAsync(arguments));

    /// <summary><c>skopeo inspect --raw</c>: the manifest bytes exactly as served.</summary>
    public static async Task<string> RawManifestAsync(string transportReference, params string[] options) =>
        await RunAsync(["inspect", "--raw", .. options, transportReference]);

    /// <summary><c>skopeo inspect</c>: the JSON summary (Digest, Layers...).</summary>
    public static async Task<JsonElement> InspectAsync(string transportReference, params string[] options)
    {
        var text = await RunAsync(["inspect", .. options, transportReference]);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The digest of the manifest bytes <c>skopeo inspect --raw</c> prints, as <c>| sha256sum</c> would give it.</summary>
    public static async Task<Digest> RawDigestAsync(string host, string repositoryAndReference, string? credentials = null)
    {
        var raw = await InspectRawAsync(host, repositoryAndReference, credentials);
        return Digest.FromHash(SHA256.HashData(raw));
    }

    /// <summary>The manifest bytes a registry without TLS serves for <c>repository:tag</c> or <c>repository@digest</c>.</summary>
    public static Task<byte[]> InspectRawAsync(string host, string repositoryAndReference, string? credentials = null) =>
        RunBytesAsync(["inspect", "--raw", "--tls-verify=false", .. credentials is null ? Array.Empty<string>() : [$"--creds={credentials}"], $"docker://{host}/{repositoryAndReference}"]);

    private static async Task<byte[]> RunBytesAsync(string[] arguments)
    {
        var start = new ProcessStartInfo(Requires.Tool("skopeo", "skopeo"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // An empty policy file would refuse every image; tests accept anything they made themselves.
        start.ArgumentList.Add("--insecure-policy");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"skopeo {string.Join(' ', arguments)} did not finish in time.");
        }

        await copy;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"skopeo {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await error}\n{Encoding.UTF8.GetString(output.ToArray())}");
        }

        return output.ToArray();
    }
}
