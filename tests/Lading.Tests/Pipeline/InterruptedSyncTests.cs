using System.Diagnostics;
using Lading.Images;
using Lading.Tests.Fixtures;
using Lading.Tests.Registry;

namespace Lading.Tests.Pipeline;

/// <summary>A Jenkins job killed in the middle of a transfer, then VerifyStore and the job run again.</summary>
public sealed class InterruptedSyncTests(PopulatedRegistry source) : IClassFixture<PopulatedRegistry>, IDisposable
{
    private readonly TempFolder _folder = new("lading-interrupted");

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public async Task A_build_killed_mid_blob_leaves_nothing_corrupt_and_the_rerun_completes()
    {
        var victim = source.Docker.Blobs[^1];
        var stalled = new TaskCompletionSource();
        using var release = new CancellationTokenSource();
        await using var proxy = new RegistryProxy(source.Server.Host)
        {
            BodyFault = async (context, seen, body) =>
            {
                if (!seen.PathAndQuery.EndsWith($"/blobs/{victim}", StringComparison.Ordinal) || release.IsCancellationRequested)
                {
                    return false;
                }

                // Half the blob, then silence: the build is killed while it waits for the rest.
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body.AsMemory(0, body.Length / 2));
                await context.Response.OutputStream.FlushAsync();
                stalled.TrySetResult();
                await Task.Delay(TimeSpan.FromSeconds(30), release.Token).ContinueWith(_ => { });
                context.Response.Abort();
                return true;
            },
        };
        _folder.Write("images.list", "library/plain:1.0\nlibrary/oci:2.0\n");
        string[] args = ["--target=SyncImages", "--images=images.list", $"--source-registry={proxy.Host}", $"--cache={_folder.Combine("cache")}", "--output=out"];

        var lading = Path.Combine(AppContext.BaseDirectory, "Lading.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(lading);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using (var build = Process.Start(start)!)
        {
            _ = build.StandardOutput.ReadToEndAsync();
            _ = build.StandardError.ReadToEndAsync();
            var seen = await Task.WhenAny(stalled.Task, build.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
            Assert.True(seen == stalled.Task, "the build never reached the stalled blob");
            build.Kill(entireProcessTree: true);
            await build.WaitForExitAsync();
        }

        var store = new ContentStore(_folder.Combine("cache"));
        Assert.Contains(Directory.GetFiles(store.TemporaryFolder), f => f.EndsWith(".partial", StringComparison.Ordinal));
        var verified = await store.VerifyAsync(2, CancellationToken.None);
        Assert.True(verified.Removed.Count == 0, "a blob in the store did not match its digest");
        Assert.True(verified.AbandonedTemporaryFilesRemoved >= 1, "the killed build's half blob was kept");
        Assert.Empty(Directory.GetFiles(store.TemporaryFolder));
        Assert.False(store.Contains(victim));
        Assert.False(File.Exists(_folder.Combine("out", "registry", "docker", "registry", "v2", "repositories", "library", "plain", "_manifests", "tags", "1.0", "current", "link")));

        release.Cancel();
        var rerun = HostHarness.RunLading(_folder.Path, null, args);

        Assert.True(rerun.ExitCode == 0, rerun.Output);
        Assert.Equal(source.Source.Read(victim), await store.ReadAllBytesAsync(victim, CancellationToken.None));
        using var served = await DockerRegistry.StartAsync(_folder.Combine("out", "registry"), readOnly: true);
        Assert.Equal(source.Docker.Digest, await Skopeo.RawDigestAsync(served.Host, "library/plain:1.0"));
    }
}
