using System.Net;
using Lading.Images;
using Lading.Images.Registry;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

/// <summary>
/// A registry (or a proxy in the middle) that lies about sizes, streams without end or stalls: every read stops at a
/// bound or after the idle time, and nothing but verified blobs reaches the store.
/// </summary>
public sealed class HostileRegistryTests : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(400);
    private readonly TempFolder _folder = new("lading-hostile-registry");
    private readonly LogLines _log = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly EndlessBody _endless;

    public HostileRegistryTests() => _endless = new EndlessBody(_stop.Token);

    public void Dispose()
    {
        _stop.Cancel();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_manifest_without_length_is_read_only_up_to_its_limit()
    {
        await using var server = new RecordingHttpServer((context, _) => _endless.SendAsync(context, 200, MediaTypes.OciManifest));
        using var client = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(new RegistryRepository(server.Host, "library/app"), "1.0", CancellationToken.None));

        Assert.Equal($"{server.Host} sent more for manifest library/app:1.0; a manifest is at most 4194304 bytes.", error.Message);
        Assert.Single(server.Requests);
        AssertFewBytesSent();
    }

    [Fact]
    public async Task A_manifest_that_stalls_is_given_up_after_the_idle_time_and_retried_with_its_address()
    {
        await using var server = new RecordingHttpServer((context, _) => StallAsync(context, MediaTypes.OciManifest));
        using var client = Client(maxAttempts: 2);

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(new RegistryRepository(server.Host, "library/app"), "1.0", CancellationToken.None));

        Assert.Equal(
            $"The connection to {server.Host} failed 2 times in a row for library/app:1.0; last: nothing arrived from http://{server.Host}/v2/library/app/manifests/1.0 for 0.4s (after 10 bytes).",
            error.Message);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task An_error_text_without_end_does_not_hide_the_error()
    {
        await using var server = new RecordingHttpServer((context, _) => _endless.SendAsync(context, 404, "application/json"));
        using var client = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(new RegistryRepository(server.Host, "library/app"), "1.0", CancellationToken.None));

        Assert.Equal($"library/app:1.0 was not found in {server.Host} (404).", error.Message);
        AssertFewBytesSent();
    }

    [Fact]
    public async Task A_token_service_answering_without_end_is_refused()
    {
        RecordingHttpServer? self = null;
        await using var server = self = new RecordingHttpServer((context, seen) => seen.PathAndQuery.StartsWith("/token", StringComparison.Ordinal)
            ? _endless.SendAsync(context, 200, "application/json")
            : RecordingHttpServer.WriteAsync(context, 401, headers: new Dictionary<string, string> { ["WWW-Authenticate"] = $"Bearer realm=\"http://{self!.Host}/token\",service=\"registry\"" }));
        using var client = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(new RegistryRepository(server.Host, "library/app"), "1.0", CancellationToken.None));

        Assert.Equal($"The token service of {server.Host} (127.0.0.1) sent more than 1048576 bytes for library/app:1.0; that is no token.", error.Message);
        AssertFewBytesSent();
    }

    [Fact]
    public async Task A_blob_declared_larger_than_the_limit_is_refused_before_anything_is_stored()
    {
        await using var server = new RecordingHttpServer((context, _) => _endless.SendAsync(context, 200, "application/octet-stream"));
        using var client = Client();
        var store = new ContentStore(_folder.Combine("store")) { MaxBlobSize = 1 << 20 };
        var digest = Digest.Of("claimed"u8);

        var error = await Assert.ThrowsAsync<BlobTooLargeException>(() => client.FetchBlobAsync(new RegistryRepository(server.Host, "library/app"), digest, 10L << 40, store, CancellationToken.None));

        Assert.Equal($"Blob {digest} was refused: it is 10995116277760 bytes or more, and the largest blob accepted is 1048576 bytes (--max-blob-gib). Nothing was stored.", error.Message);
        Assert.Single(server.Requests);
        AssertStoreEmpty(store);
    }

    [Fact]
    public async Task A_blob_larger_than_the_stores_free_space_is_refused()
    {
        await using var server = new RecordingHttpServer((context, _) => _endless.SendAsync(context, 200, "application/octet-stream"));
        using var client = Client();
        var store = new ContentStore(_folder.Combine("store")) { MaxBlobSize = long.MaxValue };
        var digest = Digest.Of("claimed"u8);

        var error = await Assert.ThrowsAsync<BlobTooLargeException>(() => client.FetchBlobAsync(new RegistryRepository(server.Host, "library/app"), digest, 1L << 60, store, CancellationToken.None));

        Assert.Matches($@"^Blob {digest} was refused: it is 1152921504606846976 bytes or more, and the store {store.Root} has \d+ bytes free\. Nothing was stored\.$", error.Message);
        AssertStoreEmpty(store);
    }

    [Fact]
    public async Task A_blob_of_unknown_size_streamed_without_end_is_cut_off_at_the_limit()
    {
        await using var server = new RecordingHttpServer((context, _) => _endless.SendAsync(context, 200, "application/octet-stream"));
        using var client = Client();
        var store = new ContentStore(_folder.Combine("store")) { MaxBlobSize = 2 << 20 };

        var error = await Assert.ThrowsAsync<BlobTooLargeException>(() => client.FetchBlobAsync(new RegistryRepository(server.Host, "library/app"), Digest.Of("x"u8), null, store, CancellationToken.None));

        Assert.Contains("the largest blob accepted is 2097152 bytes (--max-blob-gib), and its source announced no size", error.Message);
        AssertFewBytesSent();
        AssertStoreEmpty(store);
    }

    [Fact]
    public async Task A_blob_streamed_past_its_declared_size_stops_there()
    {
        await using var server = new RecordingHttpServer((context, _) => _endless.SendAsync(context, 200, "application/octet-stream"));
        using var client = Client();
        var store = new ContentStore(_folder.Combine("store"));

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.FetchBlobAsync(new RegistryRepository(server.Host, "library/app"), Digest.Of("x"u8), 1000, store, CancellationToken.None));

        Assert.Contains("sent other bytes for blob library/app@sha256:", error.Message);
        AssertFewBytesSent();
        AssertStoreEmpty(store);
    }

    private RegistryClient Client(int maxAttempts = 3) => new(new RegistryClientOptions
    {
        MaxAttempts = maxAttempts,
        TransferIdleTimeout = Idle,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        Log = _log.Add,
    });

    /// <summary>Headers and ten bytes, then nothing until the test ends.</summary>
    private async Task StallAsync(HttpListenerContext context, string contentType)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = contentType;
        context.Response.ContentLength64 = 1000;
        await context.Response.OutputStream.WriteAsync(new byte[10]);
        await context.Response.OutputStream.FlushAsync();
        await Task.Delay(TimeSpan.FromSeconds(20), _stop.Token).ContinueWith(_ => { });
        context.Response.Abort();
    }

    /// <summary>The client stopped reading near its bound: what the server pushed is that plus the sockets' buffers.</summary>
    private void AssertFewBytesSent() => Assert.InRange(_endless.Sent, 0, 64L << 20);

    private static void AssertStoreEmpty(ContentStore store)
    {
        Assert.Empty(store.List());
        Assert.Empty(Directory.Exists(store.TemporaryFolder) ? Directory.GetFiles(store.TemporaryFolder) : []);
    }
}
