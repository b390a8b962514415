using System.Diagnostics;
using Lading.Images;
using Lading.Tests.Fixtures;
using Lading.Tests.Registry;

namespace Lading.Tests.Pipeline;

/// <summary>Jenkins agents building at once with one content store folder: separate processes, one registry.</summary>
public sealed class SharedStoreTests(PopulatedRegistry source) : IClassFixture<PopulatedRegistry>, IDisposable
{
    private readonly TempFolder _folder = new("lading-shared-store");

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public async Task Three_builds_sharing_a_store_at_once_all_succeed_each_blob_is_fetched_once_and_the_store_verifies_clean()
    {
        _ = source.Server;
        // Slow blobs keep the three builds inside their transfers at the same time.
        await using var proxy = new RegistryProxy(source.Server.Host)
        {
            BodyFault = async (_, seen, _) =>
            {
                if (seen.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal))
                {
                    await Task.Delay(400);
                }

                return false;
            },
        };
        _folder.Write("platform.list", "library/plain:1.0\nlibrary/oci:2.0\nrelease/multi:3.1\n");
        _folder.Write("hotfix.list", "library/oci:2.0\n");
        var cache = _folder.Combine("cache");

        var builds = new[] { ("platform.list", "platform"), ("platform.list", "platform-again"), ("hotfix.list", "hotfix") }
            .Select(b => StartLading(_folder.Path, "--target=SyncImages", $"--images={b.Item1}", $"--source-registry={proxy.Host}", $"--cache={cache}", $"--output={b.Item2}", "--platform=all"))
            .ToList();
        var outcomes = await Task.WhenAll(builds.Select(WaitAsync));

        Assert.All(outcomes, outcome => Assert.True(outcome.ExitCode == 0, outcome.Output));
        var blobGets = proxy.Requests.Where(r => r.Method == "GET" && r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal))
            .GroupBy(r => r.PathAndQuery[(r.PathAndQuery.LastIndexOf('/') + 1)..]).ToDictionary(g => g.Key, g => g.Count());
        var expected = source.Docker.Blobs.Concat(source.Oci.Blobs).Concat(source.MultiAmd64.Blobs).Concat(source.MultiArm64.Blobs).Select(d => d.ToString()).Distinct().Order().ToList();
        Assert.Equal(expected, blobGets.Keys.Order().ToList());
        Assert.All(blobGets, fetched => Assert.True(fetched.Value == 1, $"{fetched.Key} was fetched {fetched.Value} times"));
        var store = new ContentStore(cache);
        var verified = await store.VerifyAsync(2, CancellationToken.None);
        Assert.True(verified.WasClean && verified.Remarked == 0, $"{verified}");
        Assert.Empty(Directory.GetFiles(store.TemporaryFolder));
        foreach (var output in new[] { "platform", "platform-again", "hotfix" })
        {
            Assert.True(File.Exists(_folder.Combine(output, "registry", "docker", "registry", "v2", "repositories", "library", "oci", "_manifests", "tags", "2.0", "current", "link")), output);
        }
    }

    /// <summary>The built host as a process of its own, as build.sh runs it on an agent.</summary>
    internal static Process StartLading(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Lading.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static async Task<(int ExitCode, string Output)> WaitAsync(Process build)
    {
        using (build)
        {
            var output = build.StandardOutput.ReadToEndAsync();
            var errors = build.StandardError.ReadToEndAsync();
            await build.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
            return (build.ExitCode, await output + await errors);
        }
    }
}
