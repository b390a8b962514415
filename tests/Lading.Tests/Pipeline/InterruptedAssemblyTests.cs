using System.Diagnostics;
using System.Security.Cryptography;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Pipeline;

/// <summary>A Jenkins job killed while it writes the package tar, then run again: no tar ever sits beside a wrong .sha256.</summary>
public sealed class InterruptedAssemblyTests : IDisposable
{
    private static readonly string Example = Path.Combine(Requires.RepositoryRoot, "recipes", "example");
    private readonly TempFolder _folder = new("lading-interrupted-assembly");
    private readonly GitRepo _release;

    public InterruptedAssemblyTests()
    {
        _release = GitRepo.Init(_folder.Combine("platform-release"));
        Trees.Copy(Path.Combine(Example, "platform-release"), _release.Path);

        // A large script makes writing and hashing the tar take long enough to be killed in the middle of it.
        File.WriteAllBytes(Path.Combine(_release.Path, "scripts", "large.bin"), RandomNumberGenerator.GetBytes(24 << 20));
        _release.Commit("v1.0.0").Tag("v1.0.0");
    }

    public void Dispose() => _folder.Dispose();

    private string Out => _folder.Combine("out");

    private string Tar => Path.Combine(Out, "platform-v1.0.0.tar");

    private string[] Arguments => [
        "--target=Package", "--version=v1.0.0", "--name=platform", $"--release-repo={_release.Path}", $"--source-registry=oci:{Path.Combine(Example, "images")}",
        $"--cache={_folder.Combine("cache")}", $"--work={_folder.Combine("work")}", $"--output={Out}",
    ];

    [SkippableFact]
    public async Task A_build_killed_when_its_tar_lands_never_leaves_it_beside_the_previous_runs_checksum()
    {
        // The previous run's package, with its matching checksum.
        Directory.CreateDirectory(Out);
        File.WriteAllText(Tar, "the previous run's package");
        File.WriteAllText(Tar + ".sha256", $"{Sha256(Tar)}  platform-v1.0.0.tar\n");
        var previous = FileIdentity.Of(Tar);

        await RunAndKillWhenAsync(() => File.Exists(Tar) && FileIdentity.Of(Tar) != previous);

        if (File.Exists(Tar) && File.Exists(Tar + ".sha256"))
        {
            Assert.Equal($"{Sha256(Tar)}  platform-v1.0.0.tar\n", File.ReadAllText(Tar + ".sha256"));
        }

        var rerun = HostHarness.RunLading(_folder.Path, null, Arguments);

        Assert.True(rerun.ExitCode == 0, rerun.Output);
        Assert.Equal($"{Sha256(Tar)}  platform-v1.0.0.tar\n", File.ReadAllText(Tar + ".sha256"));
    }

    [SkippableFact]
    public async Task The_temporary_files_of_a_killed_build_are_removed_by_the_next_run()
    {
        await RunAndKillWhenAsync(() => Directory.Exists(Out) && Directory.GetFiles(Out, "platform-v1.0.0.tar.*.partial").Length > 0);
        Assert.NotEmpty(Directory.GetFiles(Out, "*.partial"));

        var rerun = HostHarness.RunLading(_folder.Path, null, Arguments);

        Assert.True(rerun.ExitCode == 0, rerun.Output);
        Assert.Equal(["platform-v1.0.0-charts.tar.gz", "platform-v1.0.0.tar", "platform-v1.0.0.tar.sha256", "summary.json", "summary.md"], Directory.GetFiles(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>Runs the build as its own process (as Jenkins does) and kills it the moment <paramref name="moment"/> holds.</summary>
    private async Task RunAndKillWhenAsync(Func<bool> moment)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Lading.dll"));
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var build = Process.Start(start)!;
        var output = build.StandardOutput.ReadToEndAsync();
        _ = build.StandardError.ReadToEndAsync();
        // A thread of its own that never sleeps: the moment lasts milliseconds on a busy machine.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        var reached = false;
        var watcher = new Thread(() =>
        {
            while (!(reached = moment()) && !build.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Yield();
            }

            if (reached)
            {
                build.Kill(entireProcessTree: true);
            }
        });
        watcher.Start();
        watcher.Join();
        Assert.True(reached, "the build never reached the moment it was to be killed at: " + (build.HasExited ? await output : "(still running)"));
        build.Kill(entireProcessTree: true);
        await build.WaitForExitAsync();
    }

    private static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
}
