using System.Net;
using System.Net.Http.Headers;

namespace Lading.Images.Registry;

public sealed partial class RegistryClient
{
    /// <summary>Whether the repository already has the blob (HEAD); what is there need not be pushed.</summary>
    public Task<bool> BlobExistsAsync(RegistryRepository repository, Digest digest, CancellationToken cancellationToken)
    {
        var target = BlobTarget(repository, digest);
        return WithRetriesAsync(target, async ct =>
        {
            using var response = await SendAsync(target, PushScopes(repository), HttpMethod.Head, ApiUri(repository, $"blobs/{digest}"), ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            await EnsureSuccessAsync(response, target, ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Asks the registry to link a blob it already holds in <paramref name="fromRepository"/> into <paramref name="repository"/>,
    /// with no bytes sent. False when it would not (the blob must then be uploaded).
    /// </summary>
    public Task<bool> TryMountBlobAsync(RegistryRepository repository, Digest digest, string fromRepository, CancellationToken cancellationToken)
    {
        var target = BlobTarget(repository, digest);
        var scopes = PushScopes(repository).Append($"repository:{fromRepository}:pull").ToArray();
        var uri = ApiUri(repository, $"blobs/uploads/?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromRepository)}");
        return WithRetriesAsync(target, async ct =>
        {
            using var response = await SendAsync(target, scopes, HttpMethod.Post, uri, ct);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return true;
            }

            await EnsureSuccessAsync(response, target, ct);
            if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { } location)
            {
                // The registry opened an upload instead of mounting; close it rather than leave it to expire.
                using var cancel = await SendAsync(target, scopes, HttpMethod.Delete, Resolve(uri, location), ct);
            }

            return false;
        }, cancellationToken);
    }

    /// <summary>
    /// Uploads a blob from the store unless the repository has it: in one PUT, or in PATCH chunks when it is larger than
    /// the chunk size. A failed upload is started again from the beginning. False when nothing had to be sent.
    /// </summary>
    public async Task<bool> PushBlobAsync(RegistryRepository repository, Digest digest, IBlobStore source, CancellationToken cancellationToken, long? chunkSize = null)
    {
        if (!source.Contains(digest))
        {
            throw new BlobNotFoundException(digest, Path.GetDirectoryName(source.PathOf(digest)) ?? string.Empty);
        }

        if (await BlobExistsAsync(repository, digest, cancellationToken))
        {
            return false;
        }

        long size;
        await using (var probe = source.OpenRead(digest))
        {
            size = probe.Length;
        }

        var chunk = chunkSize ?? _options.PushChunkSize;
        var target = BlobTarget(repository, digest);
        await WithRetriesAsync(target, async ct =>
        {
            var location = await StartUploadAsync(target, ct);
            if (chunk is not { } c || size <= c)
            {
                await FinishUploadAsync(target, location, digest, () => Octets(new StreamContent(source.OpenRead(digest)), size), ct);
                return true;
            }

            await using var stream = source.OpenRead(digest);
            var buffer = new byte[c];
            for (var offset = 0L; offset < size;)
            {
                var read = await stream.ReadAtLeastAsync(buffer, (int)Math.Min(c, size - offset), throwOnEndOfStream: true, ct);
                var start = offset;
                using var response = await SendAsync(target, PushScopes(repository), HttpMethod.Patch, location, ct, content: () =>
                {
                    var part = Octets(new ByteArrayContent(buffer, 0, read), read);
                    // The Distribution API's range has no "bytes " unit, which .NET's typed header would insist on.
                    part.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + read - 1}");
                    return part;
                });
                await EnsureSuccessAsync(response, target, ct);
                location = response.Headers.Location is { } next ? Resolve(location, next) : location;
                offset += read;
            }

            await FinishUploadAsync(target, location, digest, () => Octets(new ByteArrayContent([]), 0), ct);
            return true;
        }, cancellationToken);
        return true;
    }

    /// <summary>Stores a manifest under a tag or its digest, with its media type; returns its digest as the registry confirmed it.</summary>
    public Task<Digest> PushManifestAsync(RegistryRepository repository, string reference, ReadOnlyMemory<byte> manifest, string mediaType, CancellationToken cancellationToken)
    {
        var target = ManifestTarget(repository, reference);
        var digest = Digest.Of(manifest.Span);
        var bytes = manifest.ToArray();
        return WithRetriesAsync(target, async ct =>
        {
            using var response = await SendAsync(target, PushScopes(repository), HttpMethod.Put, ApiUri(repository, $"manifests/{reference}"), ct, content: () =>
            {
                var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                return content;
            });
            await EnsureSuccessAsync(response, target, ct);
            if (DigestHeader(response) is { } confirmed && confirmed != digest)
            {
                throw new RegistryException(
                    $"{repository.Registry} stored manifest {target.Describe} as {confirmed}, not {digest}: it rewrote the manifest.",
                    repository.Registry, target.Subject, response.StatusCode, "DIGEST_INVALID");
            }

            return digest;
        }, cancellationToken);
    }

    /// <summary>
    /// Pushes an image held in the store (manifest or list, its platform manifests, their blobs) under a tag.
    /// Blobs are mounted from <paramref name="mountFrom"/> (same registry) when it has them, uploaded otherwise.
    /// Platform manifests missing from the store are skipped: a list may have been pulled for some platforms only.
    /// </summary>
    public async Task PushImageAsync(RegistryRepository repository, string tag, Digest top, IBlobStore source, CancellationToken cancellationToken, string? mountFrom = null)
    {
        var topBytes = await ReadAllAsync(source, top, cancellationToken);
        var topManifest = ImageManifest.Parse(topBytes, null);
        var children = topManifest.IsIndex
            ? topManifest.Manifests.Where(m => source.Contains(m.Digest)).ToArray()
            : [];
        var images = new List<(Descriptor Descriptor, byte[] Bytes, ImageManifest Manifest)>();
        foreach (var child in children)
        {
            var bytes = await ReadAllAsync(source, child.Digest, cancellationToken);
            images.Add((child, bytes, ImageManifest.Parse(bytes, child.MediaType)));
        }

        var blobs = (topManifest.IsIndex ? images.SelectMany(i => i.Manifest.Blobs) : topManifest.Blobs).Where(IsDistributable).DistinctBy(b => b.Digest);
        await Task.WhenAll(blobs.Select(async blob =>
        {
            if (mountFrom is not null && mountFrom != repository.Path && await TryMountBlobAsync(repository, blob.Digest, mountFrom, cancellationToken))
            {
                return;
            }

            await PushBlobAsync(repository, blob.Digest, source, cancellationToken);
        }));

        // Children before the list, blobs before manifests: a registry refuses references to what it lacks.
        foreach (var (descriptor, bytes, manifest) in images)
        {
            await PushManifestAsync(repository, descriptor.Digest.ToString(), bytes, manifest.MediaType, cancellationToken);
        }

        await PushManifestAsync(repository, tag, topBytes, topManifest.MediaType, cancellationToken);
    }

    private async Task<Uri> StartUploadAsync(Target target, CancellationToken cancellationToken)
    {
        var uri = ApiUri(target.Repository, "blobs/uploads/");
        using var response = await SendAsync(target, PushScopes(target.Repository), HttpMethod.Post, uri, cancellationToken, content: () => Octets(new ByteArrayContent([]), 0));
        await EnsureSuccessAsync(response, target, cancellationToken);
        return response.Headers.Location is { } location
            ? Resolve(uri, location)
            : throw new RegistryException($"{target.Registry} opened an upload for {target.Describe} without saying where to send it.", target.Registry, target.Subject, response.StatusCode);
    }

    private async Task FinishUploadAsync(Target target, Uri location, Digest digest, Func<HttpContent> content, CancellationToken cancellationToken)
    {
        var builder = new UriBuilder(location);
        var digestQuery = $"digest={Uri.EscapeDataString(digest.ToString())}";
        builder.Query = builder.Query.Length > 1 ? $"{builder.Query.TrimStart('?')}&{digestQuery}" : digestQuery;
        var response = await SendAsync(target, PushScopes(target.Repository), HttpMethod.Put, builder.Uri, cancellationToken, content: content);
        try
        {
            await EnsureSuccessAsync(response, target, cancellationToken);
        }
        finally
        {
            DisposeWithRequest(response);
        }
    }

    private static HttpContent Octets(HttpContent content, long length)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = length;
        return content;
    }

    private static Uri Resolve(Uri from, Uri location) => location.IsAbsoluteUri ? location : new Uri(from, location);

    private static async Task<byte[]> ReadAllAsync(IBlobStore store, Digest digest, CancellationToken cancellationToken)
    {
        await using var stream = store.OpenRead(digest);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
