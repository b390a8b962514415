namespace Lading.OsRepos;

/// <summary>One line of an OS package list: a package, optionally pinned to a version, and where it was written.</summary>
public sealed record OsPackage(string Name, string? Version, string Where)
{
    /// <summary>How apt asks for it: <c>name</c> or <c>name=version</c>.</summary>
    public string AptRequest => Version is null ? Name : $"{Name}={Version}";

    /// <summary>How dnf asks for it: <c>name</c> or <c>name-version</c>.</summary>
    public string DnfRequest => Version is null ? Name : $"{Name}-{Version}";

    public override string ToString() => AptRequest;
}
