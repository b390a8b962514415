namespace Lading.Tools.Nerdctl;

/// <summary>A host folder or file mounted into a container.</summary>
public sealed record NerdctlVolume(string HostPath, string ContainerPath, bool ReadOnly = false)
{
    public override string ToString() => ReadOnly ? $"{HostPath}:{ContainerPath}:ro" : $"{HostPath}:{ContainerPath}";
}

/// <summary>One <c>nerdctl run</c>: the image, what is mounted, and the arguments after the image.</summary>
public sealed record NerdctlRun(string Image)
{
    public IReadOnlyList<NerdctlVolume> Volumes { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The host network, so the container reaches the cluster nodes as the host does.</summary>
    public bool HostNetwork { get; init; } = true;

    public bool Remove { get; init; } = true;

    public string? Name { get; init; }
}
