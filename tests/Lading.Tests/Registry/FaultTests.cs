using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Lading.Images;
using Lading.Images.Registry;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

/// <summary>Faults injected by a proxy in front of the real registry: the pull either completes or fails clearly, never storing garbage.</summary>
public sealed class FaultTests(PopulatedRegistry registry) : IClassFixture<PopulatedRegistry>, IDisposable
{
    private readonly TempFolder _folder = new("lading-faults");
    private readonly LogLines _log = new();

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public async Task Source_failing_every_third_request_with_503_still_completes()
    {
        var store = Store();
        await using var proxy = new RegistryProxy(registry.Server.Host, async (context, seen) =>
        {
            if (seen.Number % 3 != 0)
            {
                return false;
            }

            await RecordingHttpServer.WriteAsync(context, 503);
            return true;
        });
        using var client = Client();

        var pulled = await client.PullAsync(new RegistryRepository(proxy.Host, "release/multi"), "3.1", store, PlatformSelection.All, CancellationToken.None);

        Assert.Equal(registry.Multi.Digest, pulled.Top.Digest);
        Assert.All(registry.Multi.Manifests.Concat(registry.Multi.Blobs), d => Assert.True(store.Contains(d)));
        Assert.Contains(_log.Lines, l => l.Contains("answered 503") && l.Contains("attempt 2 of"));
        Assert.Empty(proxy.Failures);
    }

    [SkippableFact]
    public async Task Registry_failing_every_time_is_an_error_after_the_attempts_allowed()
    {
        await using var proxy = new RegistryProxy(registry.Server.Host, async (context, seen) =>
        {
            await RecordingHttpServer.WriteAsync(context, 502);
            return true;
        });
        using var client = Client(maxAttempts: 3);

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.ResolveAsync(new RegistryRepository(proxy.Host, "library/plain"), "1.0", CancellationToken.None));

        Assert.Equal($"{proxy.Host} kept answering 502 for library/plain:1.0 after 3 attempts; the registry is overloaded or failing.", error.Message);
        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal(3, proxy.Requests.Count);
    }

    [SkippableFact]
    public async Task Registry_without_head_is_asked_with_get()
    {
        await using var proxy = new RegistryProxy(registry.Server.Host, async (context, seen) =>
        {
            if (seen.Method != "HEAD")
            {
                return false;
            }

            await RecordingHttpServer.WriteAsync(context, 405);
            return true;
        });
        using var client = Client();

        var head = await client.TryHeadManifestAsync(new RegistryRepository(proxy.Host, "library/oci"), "2.0", CancellationToken.None);

        Assert.Equal(registry.Oci.Digest, head!.Digest);
        Assert.Equal(["HEAD", "GET"], proxy.Requests.Select(r => r.Method));
    }

    [SkippableFact]
    public async Task Stalled_blob_transfer_is_dropped_and_tried_again()
    {
        var store = Store();
        var victim = registry.Oci.Blobs[3];
        var stalled = 0;
        using var release = new CancellationTokenSource();
        await using var proxy = new RegistryProxy(registry.Server.Host)
        {
            BodyFault = async (context, seen, body) =>
            {
                if (!seen.PathAndQuery.EndsWith($"/blobs/{victim}") || Interlocked.Increment(ref stalled) > 1)
                {
                    return false;
                }

                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body.AsMemory(0, 1000));
                await context.Response.OutputStream.FlushAsync();
                await Task.Delay(TimeSpan.FromSeconds(20), release.Token).ContinueWith(_ => { });
                context.Response.Abort();
                return true;
            },
        };
        using var client = Client(idleTimeout: TimeSpan.FromMilliseconds(300));

        await client.PullAsync(new RegistryRepository(proxy.Host, "library/oci"), "2.0", store, PlatformSelection.All, CancellationToken.None);
        await release.CancelAsync();

        Assert.Equal(registry.Source.Read(victim), store.Read(victim));
        Assert.Contains(_log.Lines, l => l.Contains($"nothing arrived from http://{proxy.Host}/v2/library/oci/blobs/{victim} for 0.3s (after 1000 bytes)"));
    }

    [SkippableFact]
    public async Task Registry_that_never_answers_is_given_up_after_the_attempts_allowed()
    {
        using var release = new CancellationTokenSource();
        await using var proxy = new RegistryProxy(registry.Server.Host, async (context, seen) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(20), release.Token).ContinueWith(_ => { });
            context.Response.Abort();
            return true;
        });
        using var client = new RegistryClient(new RegistryClientOptions { MaxAttempts = 2, ResponseTimeout = TimeSpan.FromMilliseconds(300), RetryBaseDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.ResolveAsync(new RegistryRepository(proxy.Host, "library/plain"), "1.0", CancellationToken.None));
        await release.CancelAsync();

        Assert.Equal($"The connection to {proxy.Host} failed 2 times in a row for library/plain:1.0; last: no answer in time.", error.Message);
    }

    [SkippableFact]
    public async Task Retry_after_from_a_rate_limited_registry_is_waited_for()
    {
        var limited = 0;
        await using var proxy = new RegistryProxy(registry.Server.Host, async (context, seen) =>
        {
            if (Interlocked.Increment(ref limited) > 1)
            {
                return false;
            }

            await RecordingHttpServer.WriteAsync(context, 429, headers: new Dictionary<string, string> { ["Retry-After"] = "1" });
            return true;
        });
        using var client = Client();
        var clock = Stopwatch.StartNew();

        var digest = await client.ResolveAsync(new RegistryRepository(proxy.Host, "library/plain"), "1.0", CancellationToken.None);

        Assert.Equal(registry.Docker.Digest, digest);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {clock.Elapsed.TotalSeconds:0.00}s, the registry asked for 1s");
        Assert.Equal(2, proxy.Requests.Count);
        Assert.Contains(_log.Lines, l => l.Contains("answered 429") && l.Contains("in 1.0s"));
    }

    [SkippableFact]
    public async Task Dropped_connection_before_any_answer_is_retried()
    {
        await using var proxy = new RegistryProxy(registry.Server.Host, (context, seen) =>
        {
            if (seen.Number != 1)
            {
                return Task.FromResult(false);
            }

            context.Response.Abort();
            return Task.FromResult(true);
        });
        using var client = Client();

        Assert.Equal(registry.Oci.Digest, await client.ResolveAsync(new RegistryRepository(proxy.Host, "library/oci"), "2.0", CancellationToken.None));
    }

    [SkippableFact]
    public async Task Truncated_blob_is_fetched_again()
    {
        var store = Store();
        var victim = registry.Docker.Blobs[1];
        var cut = 0;
        await using var proxy = new RegistryProxy(registry.Server.Host) { BodyFault = (context, seen, body) => Truncate(context, seen, body, victim, () => Interlocked.Increment(ref cut) == 1) };
        using var client = Client();

        await client.PullAsync(new RegistryRepository(proxy.Host, "library/plain"), "1.0", store, PlatformSelection.All, CancellationToken.None);

        Assert.Equal(registry.Source.Read(victim), store.Read(victim));
        Assert.Equal(2, proxy.Requests.Count(r => r.PathAndQuery.EndsWith($"/blobs/{victim}")));
    }

    [SkippableFact]
    public async Task Blob_truncated_every_time_is_an_error_and_nothing_of_it_is_stored()
    {
        var store = Store();
        var victim = registry.Docker.Blobs[1];
        await using var proxy = new RegistryProxy(registry.Server.Host) { BodyFault = (context, seen, body) => Truncate(context, seen, body, victim, () => true) };
        using var client = Client(maxAttempts: 3);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.PullAsync(new RegistryRepository(proxy.Host, "library/plain"), "1.0", store, PlatformSelection.All, CancellationToken.None));

        Assert.StartsWith($"The connection to {proxy.Host} failed 3 times in a row for blob library/plain@{victim}; last: ", error.Message);
        Assert.False(store.Contains(victim));
        Assert.DoesNotContain(victim, store.All);
        Assert.Equal(3, proxy.Requests.Count(r => r.PathAndQuery.EndsWith($"/blobs/{victim}")));
    }

    [SkippableFact]
    public async Task Blob_with_other_content_is_an_error_and_is_not_stored()
    {
        var store = Store();
        var victim = registry.Oci.Blobs[3];
        await using var proxy = new RegistryProxy(registry.Server.Host)
        {
            BodyFault = async (context, seen, body) =>
            {
                if (!seen.PathAndQuery.EndsWith($"/blobs/{victim}"))
                {
                    return false;
                }

                await RecordingHttpServer.WriteAsync(context, 200, RandomNumberGenerator.GetBytes(body.Length), "application/octet-stream");
                return true;
            },
        };
        using var client = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.PullAsync(new RegistryRepository(proxy.Host, "library/oci"), "2.0", store, PlatformSelection.All, CancellationToken.None));

        Assert.StartsWith($"{proxy.Host} sent other bytes for blob library/oci@{victim} (they hash to sha256:", error.Message);
        Assert.EndsWith("); nothing was stored.", error.Message);
        Assert.Equal("DIGEST_INVALID", error.ErrorCode);
        Assert.False(store.Contains(victim));
        Assert.Single(proxy.Requests, r => r.PathAndQuery.EndsWith($"/blobs/{victim}"));
    }

    [SkippableFact]
    public async Task Refusal_is_not_retried_and_quotes_the_registry_error()
    {
        await using var proxy = new RegistryProxy(registry.Server.Host, async (context, seen) =>
        {
            var body = Encoding.UTF8.GetBytes("""{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}""");
            await RecordingHttpServer.WriteAsync(context, 403, body, "application/json");
            return true;
        });
        using var client = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.GetManifestAsync(new RegistryRepository(proxy.Host, "library/plain"), "1.0", CancellationToken.None));

        Assert.Equal($"{proxy.Host} denied access to library/plain:1.0 (403 DENIED: requested access to the resource is denied).", error.Message);
        Assert.Single(proxy.Requests);
    }

    [SkippableFact]
    public async Task Requests_to_one_registry_never_exceed_the_concurrency_limit()
    {
        var inFlight = 0;
        var highest = 0;
        await using var proxy = new RegistryProxy(registry.Server.Host, async (context, seen) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref highest, now);
            await Task.Delay(40);
            Interlocked.Decrement(ref inFlight);
            return false;
        });
        using var client = new RegistryClient(new RegistryClientOptions { MaxConcurrencyPerRegistry = 2 });

        await client.PullAsync(new RegistryRepository(proxy.Host, "library/oci"), "2.0", Store(), PlatformSelection.All, CancellationToken.None);

        Assert.Equal(2, highest);
    }

    private static async Task<bool> Truncate(HttpListenerContext context, RecordedRequest seen, byte[] body, Digest victim, Func<bool> now)
    {
        if (!seen.PathAndQuery.EndsWith($"/blobs/{victim}") || !now())
        {
            return false;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body.AsMemory(0, body.Length / 2));
        await context.Response.OutputStream.FlushAsync();
        context.Response.Abort();
        return true;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = target; value > seen; seen = target)
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private RegistryClient Client(int maxAttempts = 5, TimeSpan? idleTimeout = null) => new(new RegistryClientOptions
    {
        MaxAttempts = maxAttempts,
        TransferIdleTimeout = idleTimeout ?? TimeSpan.FromSeconds(30),
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromSeconds(5),
        Log = _log.Add,
    });

    private FolderBlobStore Store() => new(_folder.Combine(Guid.NewGuid().ToString("N")));
}
