using System.Diagnostics;
using System.Security.Cryptography;
using Lading.Packaging;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Pipeline;

/// <summary>Two Jenkins executors sharing one workspace run the same package job at once, as real processes.</summary>
public sealed class ConcurrentBuildsTests : IDisposable
{
    private static readonly string Example = Path.Combine(Requires.RepositoryRoot, "recipes", "example");
    private readonly TempFolder _folder = new("lading-concurrent");
    private readonly GitRepo _release;

    public ConcurrentBuildsTests()
    {
        _release = GitRepo.Init(_folder.Combine("platform-release"));
        Trees.Copy(Path.Combine(Example, "platform-release"), _release.Path);

        // Enough bytes that the two builds' assembly overlaps.
        File.WriteAllBytes(Path.Combine(_release.Path, "scripts", "large.bin"), RandomNumberGenerator.GetBytes(16 << 20));
        _release.Commit("v1.0.0").Tag("v1.0.0");
    }

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public async Task Two_builds_of_one_package_in_one_workspace_both_succeed_with_a_whole_package()
    {
        string[] arguments = [
            "--target=Package", "--version=v1.0.0", "--name=platform", $"--release-repo={_release.Url}", $"--source-registry=oci:{Path.Combine(Example, "images")}",
            "--cache=cache", "--work=work", "--output=out",
        ];

        var runs = await Task.WhenAll(RunAsync(arguments), RunAsync(arguments));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Output));
        var tar = _folder.Combine("out", "platform-v1.0.0.tar");
        Assert.Equal($"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(tar)))}  platform-v1.0.0.tar\n", File.ReadAllText(tar + ".sha256"));
        var manifest = PackageManifest.ReadFromTar(tar);
        Assert.Contains(manifest.Files, f => f.Path == "scripts/large.bin" && f.Size == 16 << 20);
        Assert.Empty(Directory.GetFiles(_folder.Combine("out"), "*.partial"));
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Lading.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
