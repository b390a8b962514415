using System.Reflection;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lading.Packaging;

public sealed record PackagedFile(string Path, long Size, string Sha256);

public sealed record PackagedChartEntry(string Name, string Version, string File, string Sha256);

public sealed record PackagedImageEntry(string Name, string Digest, string MediaType, long Size, string Source);

/// <summary>
/// manifest.json of a package: what it is (platform or hotfix, version, commit, base version), and the size and sha256
/// of every file, every chart and every image it carries, so a site can verify it and Inspect/Diff can read it.
/// </summary>
public sealed record PackageManifest
{
    public const string FileName = "manifest.json";

    public required string Name { get; init; }

    public required string Kind { get; init; }

    public required string Version { get; init; }

    public string? BaseVersion { get; init; }

    public string? Customer { get; init; }

    public string? Commit { get; init; }

    public required DateTimeOffset Built { get; init; }

    /// <summary>The Lading that built the package: two builds give the same bytes only with the same Lading.</summary>
    public string? Lading { get; init; }

    /// <summary>This Lading's version, as its assembly carries it.</summary>
    public static string LadingVersion =>
        typeof(PackageManifest).Assembly.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(PackageManifest).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    public IReadOnlyList<PackagedChartEntry> Charts { get; init; } = [];

    /// <summary>For a hotfix: the charts of the base release it removes.</summary>
    public IReadOnlyList<string> DeletedCharts { get; init; } = [];

    public IReadOnlyList<PackagedImageEntry> Images { get; init; } = [];

    /// <summary>For a hotfix built against a base package: blobs left out because the base already delivered them.</summary>
    public int BlobsInBase { get; init; }

    public IReadOnlyList<PackagedFile> Files { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public static PackageManifest Parse(string json, string where) =>
        JsonSerializer.Deserialize<PackageManifest>(json, Json) ?? throw new PackageException($"{where}: {FileName} is empty");

    /// <summary>Reads manifest.json out of a package tar without unpacking anything else.</summary>
    public static PackageManifest ReadFromTar(string tarPath)
    {
        if (!System.IO.File.Exists(tarPath))
        {
            throw new PackageException($"{tarPath}: no such package");
        }

        using var stream = System.IO.File.OpenRead(tarPath);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            var parts = entry.Name.TrimStart('.', '/').Split('/');
            if (parts.Length == 2 && parts[1] == FileName && entry.DataStream is not null)
            {
                using var text = new StreamReader(entry.DataStream);
                return Parse(text.ReadToEnd(), $"{tarPath}:{entry.Name}");
            }
        }

        throw new PackageException($"{tarPath}: holds no <name>-<version>/{FileName}, so it is no Lading package");
    }

    /// <summary>Size and sha256 of every file under a folder, sorted; the manifest itself excluded.</summary>
    public static IReadOnlyList<PackagedFile> Describe(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => f != FileName)
            .Order(StringComparer.Ordinal)
            .Select(relative =>
            {
                var full = System.IO.Path.Combine(folder, relative);
                using var stream = System.IO.File.OpenRead(full);
                return new PackagedFile(relative, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
            })
            .ToList();
}

/// <summary>A package cannot be built, read or compared; the message names the package or file.</summary>
public sealed class PackageException(string message) : Exception(message);
