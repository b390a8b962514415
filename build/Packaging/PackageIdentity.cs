using System.Text.RegularExpressions;

namespace Lading.Packaging;

/// <summary>The four packages Lading builds.</summary>
public enum PackageKind
{
    /// <summary>Every chart and image of a release.</summary>
    Platform,

    /// <summary>Only what changed since a base release, installed on it.</summary>
    Hotfix,

    /// <summary>OS repositories, binaries and images, with the site that serves them.</summary>
    OfflineResources,

    /// <summary>Kubespray and the offline resources it needs.</summary>
    Kubespray,
}

/// <summary>
/// The task that opens a package of this kind. Setup reads it from the target's tasks before any runs; when several
/// declare one, the outermost (the last to run: the pipeline's own task) decides, so Hotfix wins over the Package it builds on.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OpensPackageAttribute(PackageKind kind) : Attribute
{
    public PackageKind Kind { get; } = kind;

    /// <summary>The kind of package the tasks (in the order they run) build, or null when none opens one.</summary>
    public static PackageKind? KindOf(IEnumerable<Type> tasksInOrder) =>
        tasksInOrder.Select(t => t.GetCustomAttributes(typeof(OpensPackageAttribute), inherit: false).OfType<OpensPackageAttribute>().FirstOrDefault()?.Kind)
            .LastOrDefault(k => k is not null);
}

/// <summary>What a package is called: its name (with the OEM customer), kind and version. The one place a package's name is built.</summary>
public sealed partial record PackageIdentity(string Name, PackageKind Kind, string Version, string? Customer = null)
{
    /// <summary>The kind as manifest.json and file names write it.</summary>
    public string KindName => Kind switch
    {
        PackageKind.Platform => "platform",
        PackageKind.Hotfix => "hotfix",
        PackageKind.OfflineResources => "offline-resources",
        _ => "kubespray",
    };

    /// <summary>The name of the package folder and tar: platform-v2.10.2, platform-acme-v2.10.2, platform-v2.10.3-hotfix, platform-offline-resources-20261201.</summary>
    public string FullName => Kind switch
    {
        PackageKind.Platform => $"{Name}-{Version}",
        PackageKind.Hotfix => $"{Name}-{Version}-hotfix",
        _ => $"{Name}-{KindName}-{Version}",
    };

    /// <summary>
    /// A platform or hotfix package of a release repo: named after the customer of an OEM branch (release-X.Y/&lt;customer&gt;),
    /// versioned by its tag, or head-&lt;commit&gt; when built from the branch head.
    /// </summary>
    public static PackageIdentity OfRelease(string name, PackageKind kind, string? version, string? branch, string? commit)
    {
        var customer = branch is not null && OemBranch().Match(branch) is { Success: true } oem ? oem.Groups["customer"].Value : null;
        return new PackageIdentity(
            customer is null ? name : $"{name}-{customer}",
            kind,
            version ?? (commit is null ? "head" : $"head-{commit[..8]}"),
            customer);
    }

    /// <summary>A package made from lists (offline-resources, kubespray): versioned as given, or by the day it is built.</summary>
    public static PackageIdentity OfLists(string name, PackageKind kind, string? version, DateTimeOffset now) =>
        new(name, kind, version ?? now.ToString("yyyyMMdd"));

    [GeneratedRegex(@"^release-\d+\.\d+/(?<customer>[A-Za-z0-9._-]+)$")]
    private static partial Regex OemBranch();
}
