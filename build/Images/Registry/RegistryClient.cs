using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;

namespace Lading.Images.Registry;

/// <summary>A manifest as the registry sent it: its descriptor and its exact bytes.</summary>
public sealed record FetchedManifest(Descriptor Descriptor, byte[] Bytes);

/// <summary>
/// Pulls and pushes images over the OCI Distribution (Docker Registry v2) API: auth, retries,
/// per-host concurrency and digest checks are handled here, so callers deal in repositories and digests.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly RegistryClientOptions _options;
    private readonly HttpRetry _retry;
    private readonly ConcurrentDictionary<(IBlobStore Store, Digest Digest), Lazy<Task<long>>> _downloads = new();

    public RegistryClient(RegistryClientOptions? options = null)
        : this(options ?? new RegistryClientOptions(), null)
    {
    }

    /// <param name="configure">Lets tests reach made-up host names on loopback.</param>
    internal RegistryClient(RegistryClientOptions options, Action<SocketsHttpHandler>? configure)
    {
        _options = options;
        _retry = new HttpRetry(options.RetryBaseDelay, options.RetryMaxDelay);
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed by hand, so credentials never travel to the storage host a blob redirects to.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                // Certificates are checked, except for registries the caller listed as insecure.
                RemoteCertificateValidationCallback = (sender, _, _, errors) =>
                {
                    var accepted = errors == SslPolicyErrors.None || (sender is SslStream tls && IsInsecureName(tls.TargetHostName));
                    if (!accepted && sender is SslStream refused)
                    {
                        // Remembered so a failed handshake is put down to the certificate, not to a server without TLS.
                        _certificateRefused[refused.TargetHostName] = true;
                    }

                    return accepted;
                },
            },
        };
        configure?.Invoke(handler);
        // Timeouts are per request (SendTimedAsync), so a long upload is not cut by a client-wide limit.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("lading", "1.0"));
    }

    public void Dispose() => _http.Dispose();

    /// <summary>HEAD of a manifest by tag or digest: its digest, type and size; null when the registry has no such manifest.</summary>
    public Task<Descriptor?> TryHeadManifestAsync(RegistryRepository repository, string reference, CancellationToken cancellationToken)
    {
        var target = ManifestTarget(repository, reference);
        return WithRetriesAsync(target, async ct =>
        {
            using var response = await SendAsync(target, PullScopes(repository), HttpMethod.Head, ApiUri(repository, $"manifests/{reference}"), ct, AcceptManifests);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
            {
                // Some registries and proxies know only GET; the digest is then that of the bytes.
                return (Descriptor?)(await FetchManifestOnceAsync(target, reference, ct)).Descriptor;
            }

            await EnsureSuccessAsync(response, target, ct);
            var digest = DigestHeader(response) ?? (Digest.TryParse(reference, out var asked) ? asked : (Digest?)null);
            if (digest is null)
            {
                // Without a digest header the only way to know the digest is to hash the bytes.
                return (Descriptor?)(await FetchManifestOnceAsync(target, reference, ct)).Descriptor;
            }

            return new Descriptor(MediaTypeOf(response) ?? string.Empty, digest.Value, response.Content.Headers.ContentLength ?? 0);
        }, cancellationToken);
    }

    /// <summary>HEAD of an image by its reference (digest when it has one, else tag); null when the registry lacks it.</summary>
    public Task<Descriptor?> TryHeadManifestAsync(ImageReference image, CancellationToken cancellationToken) =>
        TryHeadManifestAsync(RegistryRepository.Of(image), image.ManifestReference, cancellationToken);

    /// <summary>Pulls an image by its reference: the digest when it has one (the tag is then only a label), else the tag.</summary>
    public Task<PulledImage> PullAsync(ImageReference image, IBlobStore store, PlatformSelection platforms, CancellationToken cancellationToken) =>
        PullAsync(RegistryRepository.Of(image), image.ManifestReference, store, platforms, cancellationToken);

    /// <summary>The digest a tag points to now; a missing image is a RegistryException saying so.</summary>
    public async Task<Digest> ResolveAsync(RegistryRepository repository, string reference, CancellationToken cancellationToken)
    {
        var head = await TryHeadManifestAsync(repository, reference, cancellationToken);
        return head?.Digest ?? (await GetManifestAsync(repository, reference, cancellationToken)).Descriptor.Digest;
    }

    /// <summary>GET of a manifest with the full Accept list; the bytes are checked against the digest asked for or announced.</summary>
    public Task<FetchedManifest> GetManifestAsync(RegistryRepository repository, string reference, CancellationToken cancellationToken)
    {
        var target = ManifestTarget(repository, reference);
        return WithRetriesAsync(target, ct => FetchManifestOnceAsync(target, reference, ct), cancellationToken);
    }

    /// <summary>
    /// Puts an image into the store: its manifest (list), the platform manifests selected, their configs and layers.
    /// Whatever the store already holds is not fetched again.
    /// </summary>
    public async Task<PulledImage> PullAsync(RegistryRepository repository, string reference, IBlobStore store, PlatformSelection platforms, CancellationToken cancellationToken)
    {
        // An image pinned by digest and already stored needs no request at all: a warm re-package stays offline.
        var top = Digest.TryParse(reference, out var pinned) && store.Contains(pinned)
            ? new Descriptor(string.Empty, pinned, 0)
            : await TryHeadManifestAsync(repository, reference, cancellationToken)
                ?? (await GetManifestAsync(repository, reference, cancellationToken)).Descriptor;
        var (topManifest, topSize) = await ManifestIntoStoreAsync(repository, top, store, cancellationToken);
        top = top with { Size = topSize, MediaType = topManifest.MediaType };

        IReadOnlyList<Descriptor> chosen = [top];
        if (topManifest.IsIndex)
        {
            chosen = ChoosePlatforms(repository, reference, topManifest, platforms);
        }

        var manifests = new List<PulledManifest>();
        foreach (var descriptor in chosen)
        {
            var (manifest, size) = descriptor == top ? (topManifest, topSize) : await ManifestIntoStoreAsync(repository, descriptor, store, cancellationToken);
            if (!MediaTypes.IsManifest(manifest.MediaType))
            {
                throw new RegistryException(
                    $"{repository.Path}@{descriptor.Digest} in {repository.Registry} is a {manifest.MediaType} inside a list; nested lists are not supported.",
                    repository.Registry, $"{repository.Path}@{descriptor.Digest}");
            }

            manifests.Add(new PulledManifest(descriptor with { Size = size, MediaType = manifest.MediaType }, manifest));
        }

        var blobs = manifests.SelectMany(m => m.Manifest.Blobs).Where(IsDistributable).DistinctBy(b => b.Digest).ToArray();
        var fetched = 0;
        var bytesFetched = 0L;
        var reused = 0;
        var bytesReused = 0L;
        await Task.WhenAll(blobs.Select(async blob =>
        {
            if (store.Contains(blob.Digest))
            {
                Interlocked.Increment(ref reused);
                Interlocked.Add(ref bytesReused, blob.Size);
                return;
            }

            // Images pulled side by side share base layers: the second one waits for the first one's download.
            var ours = new Lazy<Task<long>>(() => FetchClaimedAsync(repository, blob, store, cancellationToken));
            var running = _downloads.GetOrAdd((store, blob.Digest), ours);
            try
            {
                var read = await running.Value;
                if (running == ours && read >= 0)
                {
                    Interlocked.Increment(ref fetched);
                    Interlocked.Add(ref bytesFetched, read);
                }
                else
                {
                    Interlocked.Increment(ref reused);
                    Interlocked.Add(ref bytesReused, blob.Size);
                }
            }
            finally
            {
                if (running == ours)
                {
                    _downloads.TryRemove((store, blob.Digest), out _);
                }
            }
        }));

        return new PulledImage(repository, reference, top, manifests, fetched, bytesFetched, reused, bytesReused);
    }

    /// <summary>Fetches a blob unless another build sharing the store fetched it meanwhile: -1 then.</summary>
    private async Task<long> FetchClaimedAsync(RegistryRepository repository, Descriptor blob, IBlobStore store, CancellationToken cancellationToken)
    {
        await using var claim = await store.ClaimAsync(blob.Digest, cancellationToken);
        return claim is null ? -1 : await FetchBlobAsync(repository, blob.Digest, blob.Size, store, cancellationToken);
    }

    /// <summary>Streams one blob into the store, following redirects without credentials and checking size and sha256 on the way.</summary>
    public Task<long> FetchBlobAsync(RegistryRepository repository, Digest digest, long? size, IBlobStore store, CancellationToken cancellationToken)
    {
        var target = BlobTarget(repository, digest);
        return WithRetriesAsync(target, async ct =>
        {
            using var response = await SendAsync(target, PullScopes(repository), HttpMethod.Get, ApiUri(repository, $"blobs/{digest}"), ct);
            await EnsureSuccessAsync(response, target, ct);
            var length = response.Content.Headers.ContentLength;
            if (size is { } wanted && length is { } announced && wanted != announced)
            {
                throw new RegistryException(
                    $"{repository.Registry} announced {announced} bytes for {target.Describe}, its manifest says {wanted}; nothing was stored.",
                    repository.Registry, target.Subject, response.StatusCode, "SIZE_INVALID");
            }

            using var watch = Watch(response, ct);
            await using var body = new VerifyingStream(watch.Watch(await response.Content.ReadAsStreamAsync(watch.Token)), digest, size ?? length, actual => new RegistryException(
                $"{repository.Registry} sent other bytes for {target.Describe} (they hash to {actual}); nothing was stored.",
                repository.Registry, target.Subject, response.StatusCode, "DIGEST_INVALID"));
            await store.PutAsync(digest, body, size ?? length, ct);
            return body.BytesRead;
        }, cancellationToken);
    }

    /// <summary>Foreign layers (Windows base layers) live at their URLs, not in any registry.</summary>
    internal static bool IsDistributable(Descriptor blob) => blob.Urls is not { Count: > 0 };

    private IReadOnlyList<Descriptor> ChoosePlatforms(RegistryRepository repository, string reference, ImageManifest index, PlatformSelection platforms)
    {
        var chosen = index.Manifests.Where(m => platforms.Accepts(m.Platform)).ToArray();
        var offered = string.Join(", ", index.Manifests.Select(m => m.Platform?.ToString() ?? "(no platform)").Distinct());
        if (chosen.Length == 0)
        {
            throw new RegistryException(
                $"{repository.Path}:{reference} in {repository.Registry} has no image for {platforms} (it offers {offered}).",
                repository.Registry, $"{repository.Path}:{reference}", errorCode: "PLATFORM_UNKNOWN");
        }

        foreach (var missing in platforms.Wanted.Where(w => !index.Manifests.Any(m => m.Platform is not null && PlatformSelection.Matches(w, m.Platform))))
        {
            _options.Log($"{repository.Path}:{reference} in {repository.Registry} has no {missing} image (it offers {offered}); taking the others.");
        }

        return chosen;
    }

    private async Task<(ImageManifest Manifest, long Size)> ManifestIntoStoreAsync(RegistryRepository repository, Descriptor descriptor, IBlobStore store, CancellationToken cancellationToken)
    {
        byte[] bytes;
        if (store.Contains(descriptor.Digest))
        {
            await using var stored = store.OpenRead(descriptor.Digest);
            using var buffer = new MemoryStream();
            await stored.CopyToAsync(buffer, cancellationToken);
            bytes = buffer.ToArray();
        }
        else
        {
            // By digest, not by tag: the tag may move between the HEAD and this GET.
            bytes = (await GetManifestAsync(repository, descriptor.Digest.ToString(), cancellationToken)).Bytes;
            await store.PutAsync(descriptor.Digest, new MemoryStream(bytes, writable: false), bytes.Length, cancellationToken);
        }

        try
        {
            return (ImageManifest.Parse(bytes, descriptor.MediaType), bytes.Length);
        }
        catch (ManifestException e)
        {
            throw new RegistryException(
                $"{repository.Path}@{descriptor.Digest} from {repository.Registry} cannot be used: {e.Message}", repository.Registry, $"{repository.Path}@{descriptor.Digest}", inner: e);
        }
    }

    private async Task<FetchedManifest> FetchManifestOnceAsync(Target target, string reference, CancellationToken cancellationToken)
    {
        var repository = target.Repository;
        using var response = await SendAsync(target, PullScopes(repository), HttpMethod.Get, ApiUri(repository, $"manifests/{reference}"), cancellationToken, AcceptManifests);
        await EnsureSuccessAsync(response, target, cancellationToken);
        byte[] bytes;
        try
        {
            // Read only up to the limit, whether or not the registry said how long the manifest is.
            using var watch = Watch(response, cancellationToken);
            bytes = await watch.ReadBodyAsync(response.Content, MaxManifestBytes);
        }
        catch (HttpBodyTooLargeException)
        {
            var sent = response.Content.Headers.ContentLength is { } length ? $"{length} bytes" : "more";
            throw new RegistryException(
                $"{repository.Registry} sent {sent} for manifest {target.Describe}; a manifest is at most {MaxManifestBytes} bytes.",
                repository.Registry, target.Subject, response.StatusCode, "MANIFEST_INVALID");
        }

        var actual = Digest.Of(bytes);
        var expected = Digest.TryParse(reference, out var asked) ? asked : DigestHeader(response);
        if (expected is { } e && e != actual)
        {
            throw new RegistryException(
                $"{repository.Registry} sent a manifest for {target.Describe} that hashes to {actual}, not {e}.",
                repository.Registry, target.Subject, response.StatusCode, "DIGEST_INVALID");
        }

        var mediaType = MediaTypeOf(response);
        try
        {
            mediaType = ImageManifest.Parse(bytes, mediaType).MediaType;
        }
        catch (ManifestException ex)
        {
            throw new RegistryException(
                $"{repository.Registry} sent a manifest for {target.Describe} that cannot be used: {ex.Message}", repository.Registry, target.Subject, response.StatusCode, "MANIFEST_INVALID", ex);
        }

        return new FetchedManifest(new Descriptor(mediaType, actual, bytes.Length), bytes);
    }

    /// <summary>The idle-timeout rule for reading an answer's body, named by the address it came from.</summary>
    private IdleWatch Watch(HttpResponseMessage response, CancellationToken cancellationToken) =>
        new(response.RequestMessage?.RequestUri ?? new Uri("http://unknown/"), _options.TransferIdleTimeout, cancellationToken);

    private static Target ManifestTarget(RegistryRepository repository, string reference) =>
        new(repository, Digest.TryParse(reference, out _) ? $"{repository.Path}@{reference}" : $"{repository.Path}:{reference}");

    private static Target BlobTarget(RegistryRepository repository, Digest digest) => new(repository, $"{repository.Path}@{digest}", "blob");

    private static void AcceptManifests(HttpRequestMessage request)
    {
        foreach (var mediaType in MediaTypes.Accept)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }
    }

    private static Digest? DigestHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault()?.Trim(), out var digest) ? digest : null;

    private static string? MediaTypeOf(HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType;
}
