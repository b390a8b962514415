using Lading.Images.Registry;
using Lading.Reporting;

namespace Lading.Images;

/// <summary>Fetches one kind of image source into the store.</summary>
public interface IImageFetcher
{
    bool Handles(ImageSource source);

    /// <summary>Copies the image (only the selected platforms of an index) into the store; returns its top manifest.</summary>
    Task<Descriptor> FetchAsync(ImageSource source, IBlobStore store, PlatformSelection platforms, CancellationToken cancellationToken);
}

/// <summary>Images in registries, over the Distribution API; one client per build so limits and tokens are shared.</summary>
public sealed class RegistryFetcher(RegistryClient client) : IImageFetcher
{
    public bool Handles(ImageSource source) => source is RegistrySource;

    public async Task<Descriptor> FetchAsync(ImageSource source, IBlobStore store, PlatformSelection platforms, CancellationToken cancellationToken) =>
        (await client.PullAsync(((RegistrySource)source).Reference, store, platforms, cancellationToken)).Top;
}

/// <summary>Images in OCI image layouts on disk (examples, air-gapped hand-overs), no registry needed.</summary>
public sealed class OciLayoutFetcher : IImageFetcher
{
    private readonly Dictionary<string, OciLayoutSource> _layouts = new(StringComparer.Ordinal);

    public bool Handles(ImageSource source) => source is OciSource;

    public Task<Descriptor> FetchAsync(ImageSource source, IBlobStore store, PlatformSelection platforms, CancellationToken cancellationToken)
    {
        var oci = (OciSource)source;
        OciLayoutSource layout;
        lock (_layouts)
        {
            if (!_layouts.TryGetValue(oci.Layout, out layout!))
            {
                _layouts[oci.Layout] = layout = OciLayoutSource.Open(oci.Layout);
            }
        }

        return layout.ImportAsync(oci.RefName, store, platforms.IsAll ? null : p => p is null || platforms.Accepts(p), cancellationToken);
    }
}

public sealed record SyncedImage(PlannedImage Image, Descriptor Manifest, ImageSource From)
{
    /// <summary>What the image weighs: its manifests, config and layers, each once (its manifest alone is a few hundred bytes).</summary>
    public long Bytes { get; init; }
}

public sealed record SyncFailure(PlannedImage Image, IReadOnlyList<string> Reasons)
{
    public override string ToString() =>
        $"{Image.Entry.Location}: {Image.SiteName.SiteName}: {string.Join("; then ", Reasons)}";
}

/// <summary>Images that could not be fetched from any of their sources; every one is listed.</summary>
public sealed class ImageSyncException(IReadOnlyList<SyncFailure> failures)
    : Exception($"{failures.Count} image(s) could not be fetched:{Environment.NewLine}" + string.Join(Environment.NewLine, failures.Select(f => "  " + f)))
{
    public IReadOnlyList<SyncFailure> Failures { get; } = failures;
}

public sealed record ImageSyncResult(IReadOnlyList<SyncedImage> Images, int UniqueBlobs, long TotalBytes, long FetchedBytes, int FetchedBlobs)
{
    public long ReusedBytes => Math.Max(0, TotalBytes - FetchedBytes);

    public IReadOnlyList<LayoutImage> LayoutImages => Images.Select(i => LayoutImage.From(i.Image.SiteName, i.Manifest.Digest)).ToList();
}

/// <summary>
/// Brings every planned image into the content store: each from its first source that works, at most
/// <c>concurrency</c> at once; blobs already stored are not fetched again. Failures are collected and reported together.
/// </summary>
public sealed class ImageSync(IReadOnlyList<IImageFetcher> fetchers, IBlobStore store, int concurrency)
{
    public async Task<ImageSyncResult> SyncAsync(ImagePlan plan, PlatformSelection platforms, IProgressScope? progress, CancellationToken cancellationToken)
    {
        using var overall = progress?.Start("images", plan.Images.Count, ProgressUnit.Items);
        using var fetched = progress?.Start("fetched", 0, ProgressUnit.Bytes);
        var counting = new CountingStore(store, fetched is null ? null : fetched.Advance);
        var synced = new List<SyncedImage>();
        var failures = new List<SyncFailure>();
        using var gate = new SemaphoreSlim(Math.Max(1, concurrency));
        await Task.WhenAll(plan.Images.Select(async image =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var reasons = new List<string>();
                foreach (var source in image.Sources)
                {
                    var fetcher = fetchers.FirstOrDefault(f => f.Handles(source));
                    if (fetcher is null)
                    {
                        reasons.Add($"{source}: no way to fetch this kind of source");
                        continue;
                    }

                    try
                    {
                        var manifest = await fetcher.FetchAsync(source, counting, platforms, cancellationToken);
                        lock (synced)
                        {
                            synced.Add(new SyncedImage(image, manifest, source));
                        }

                        return;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        reasons.Add($"{source}: {ex.Message}");
                    }
                }

                lock (failures)
                {
                    failures.Add(new SyncFailure(image, reasons));
                }
            }
            finally
            {
                overall?.Advance(1);
                gate.Release();
            }
        }));

        if (failures.Count > 0)
        {
            throw new ImageSyncException(failures.OrderBy(f => f.Image.Entry.File, StringComparer.Ordinal).ThenBy(f => f.Image.Entry.Line).ToList());
        }

        var ordered = new List<SyncedImage>();
        var blobs = new Dictionary<Digest, long>();
        foreach (var image in synced.OrderBy(s => s.Image.SiteName.SiteName, StringComparer.Ordinal))
        {
            var stored = await StoredImage.ResolveAsync(store, image.Manifest.Digest, cancellationToken);
            var own = new Dictionary<Digest, long>();
            foreach (var manifest in stored.Manifests)
            {
                own[manifest.Descriptor.Digest] = manifest.Descriptor.Size;
            }

            foreach (var blob in stored.Blobs)
            {
                own[blob.Digest] = blob.Size;
            }

            foreach (var (digest, size) in own)
            {
                blobs[digest] = size;
            }

            ordered.Add(image with { Bytes = own.Values.Sum() });
        }

        return new ImageSyncResult(ordered, blobs.Count, blobs.Values.Sum(), counting.FetchedBytes, counting.FetchedBlobs);
    }
}
