namespace Lading.Images.Registry;

/// <summary>One image manifest taken by a pull, its descriptor carrying the platform when it came from a list.</summary>
public sealed record PulledManifest(Descriptor Descriptor, ImageManifest Manifest);

/// <summary>What a pull put in the store: the top manifest (list or image), the image manifests taken, and the traffic.</summary>
public sealed record PulledImage(
    RegistryRepository Repository,
    string Reference,
    Descriptor Top,
    IReadOnlyList<PulledManifest> Manifests,
    int BlobsFetched,
    long BytesFetched,
    int BlobsReused,
    long BytesReused);
