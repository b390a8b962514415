using System.Diagnostics;
using System.Security.Cryptography;
using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

/// <summary>skopeo as the independent judge of what a registry serves.</summary>
public static class Skopeo
{
    /// <summary>The digest of the manifest bytes <c>skopeo inspect --raw</c> prints, as <c>| sha256sum</c> would give it.</summary>
    public static async Task<Digest> RawDigestAsync(string host, string repositoryAndReference, string? credentials = null)
    {
        var raw = await InspectRawAsync(host, repositoryAndReference, credentials);
        return Digest.FromHash(SHA256.HashData(raw));
    }

    public static async Task<byte[]> InspectRawAsync(string host, string repositoryAndReference, string? credentials = null)
    {
        var skopeo = Requires.Tool("skopeo", "skopeo");
        var start = new ProcessStartInfo(skopeo) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "inspect", "--raw", "--tls-verify=false" })
        {
            start.ArgumentList.Add(argument);
        }

        if (credentials is not null)
        {
            start.ArgumentList.Add($"--creds={credentials}");
        }

        start.ArgumentList.Add($"docker://{host}/{repositoryAndReference}");
        using var process = Process.Start(start)!;
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await copy;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"skopeo inspect {host}/{repositoryAndReference} failed ({process.ExitCode}): {await stderr}");
        }

        return stdout.ToArray();
    }
}
