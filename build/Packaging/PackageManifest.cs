using System.Reflection;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lading.Packaging;

public sealed record PackagedFile(string Path, long Size, string Sha256);

public sealed record PackagedChartEntry(string Name, string Version, string File, string Sha256);

/// <summary>An image of a package: its manifest's descriptor (digest, media type, size) and what the whole image weighs.</summary>
public sealed record PackagedImageEntry(string Name, string Digest, string MediaType, long Size, string Source)
{
    /// <summary>Manifests, config and layers, each once; 0 in packages written before it was recorded.</summary>
    public long Bytes { get; init; }
}

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

    /// <summary>Every file of the package, manifest.json included: what AssemblePackage reports too.</summary>
    [JsonIgnore]
    public int FileCount => Files.Count + 1;

    /// <summary>The size of a chart's .tgz in the package, 0 when the manifest does not list it.</summary>
    public long SizeOf(PackagedChartEntry chart) => Files.FirstOrDefault(f => f.Path == chart.File)?.Size ?? 0;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>The largest manifest.json read: one for a hundred thousand files is a few tens of megabytes.</summary>
    public const long MaxBytes = 64L << 20;

    /// <exception cref="PackageException">The text is no manifest Lading wrote: what is wrong, and where.</exception>
    public static PackageManifest Parse(string json, string where)
    {
        PackageManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PackageManifest>(json, Json);
        }
        catch (JsonException e)
        {
            var at = e.LineNumber is { } line ? $" at line {line + 1}" + (e.Path is { Length: > 1 } path ? $" ({path})" : string.Empty) : string.Empty;
            throw new PackageException($"{where}: {FileName} is not a Lading package manifest{at}: {FirstSentence(e.Message)}");
        }

        if (manifest is null)
        {
            throw new PackageException($"{where}: {FileName} is empty");
        }

        var problems = manifest.Problems().ToList();
        return problems.Count == 0 ? manifest
            : throw new PackageException($"{where}: {FileName} is not a Lading package manifest: {string.Join("; ", problems)}");
    }

    /// <summary>Reads manifest.json out of a package tar without unpacking anything else.</summary>
    public static PackageManifest ReadFromTar(string tarPath)
    {
        PackageManifest? manifest = null;
        ForEachEntry(tarPath, entry =>
        {
            var parts = entry.Name.TrimStart('.', '/').Split('/');
            if (parts.Length != 2 || parts[1] != FileName || entry.DataStream is null)
            {
                return true;
            }

            if (entry.Length > MaxBytes)
            {
                throw new PackageException($"{tarPath}:{entry.Name} is {entry.Length} bytes, more than the {MaxBytes >> 20} MiB a package manifest may be; this is no package Lading wrote");
            }

            using var text = new StreamReader(entry.DataStream);
            manifest = Parse(text.ReadToEnd(), $"{tarPath}:{entry.Name}");
            return false;
        });
        return manifest ?? throw new PackageException($"{tarPath}: holds no <name>-<version>/{FileName}, so it is no Lading package");
    }

    /// <summary>
    /// Reads a package tar entry by entry until <paramref name="visit"/> returns false; a file that is no tar (or a
    /// compressed one) is named in a sentence instead of the reader's "Unable to parse number".
    /// </summary>
    public static void ForEachEntry(string tarPath, Func<TarEntry, bool> visit)
    {
        if (!System.IO.File.Exists(tarPath))
        {
            throw new PackageException(System.IO.Directory.Exists(tarPath) ? $"{tarPath}: is a folder, not a package tar" : $"{tarPath}: no such package");
        }

        using var stream = System.IO.File.OpenRead(tarPath);
        var magic = new byte[2];
        if (stream.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            throw new PackageException($"{tarPath}: is gzip-compressed; a Lading package is the uncompressed <name>-<version>.tar (the -charts.tar.gz beside it holds only charts)");
        }

        stream.Position = 0;
        try
        {
            using var reader = new TarReader(stream);
            while (reader.GetNextEntry() is { } entry)
            {
                if (!visit(entry))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or OverflowException or ArgumentException)
        {
            throw new PackageException($"{tarPath}: is not a tar file, or a damaged one ({FirstSentence(e.Message)}); a Lading package is the <name>-<version>.tar a build writes");
        }
    }

    /// <summary>What is missing or malformed in a parsed manifest; empty when it can be shown and compared.</summary>
    private IEnumerable<string> Problems()
    {
        foreach (var (field, value) in new[] { ("name", Name), ("kind", Kind), ("version", Version) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return $"'{field}' is missing";
            }
        }

        if (Commit is { Length: < 12 })
        {
            yield return $"'commit' '{Commit}' is no git commit";
        }

        if (Charts is null || Images is null || Files is null || DeletedCharts is null)
        {
            yield return "'charts', 'images', 'files' and 'deletedCharts' must be lists";
            yield break;
        }

        foreach (var (chart, i) in Charts.Select((c, i) => (c, i)))
        {
            if (chart is null || string.IsNullOrEmpty(chart.Name) || chart.Version is null || chart.File is null || !IsSha256(chart.Sha256))
            {
                yield return $"charts[{i}] needs name, version, file and a sha256 of 64 hex digits";
            }
        }

        foreach (var (image, i) in Images.Select((m, i) => (m, i)))
        {
            if (image is null || string.IsNullOrEmpty(image.Name) || image.Digest is null || !image.Digest.StartsWith("sha256:", StringComparison.Ordinal) || image.MediaType is null || image.Source is null)
            {
                yield return $"images[{i}] needs name, a sha256: digest, mediaType and source";
            }
        }

        foreach (var (file, i) in Files.Select((f, i) => (f, i)))
        {
            if (file is null || string.IsNullOrEmpty(file.Path) || file.Size < 0 || !IsSha256(file.Sha256))
            {
                yield return $"files[{i}] needs path, size and a sha256 of 64 hex digits";
            }
        }
    }

    private static bool IsSha256(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigit);

    private static string FirstSentence(string message) => message.Split(". ", 2)[0].TrimEnd('.');

    /// <summary>
    /// Size and sha256 of every file under a folder, sorted; the manifest itself excluded. Files in
    /// <paramref name="known"/> (full paths: image blobs, whose names are their digests) are not read again.
    /// </summary>
    public static IReadOnlyList<PackagedFile> Describe(string folder, IReadOnlyDictionary<string, Digest>? known = null) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => f != FileName)
            .Order(StringComparer.Ordinal)
            .Select(relative =>
            {
                var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, relative));
                if (known is not null && known.TryGetValue(full, out var digest))
                {
                    return new PackagedFile(relative, new FileInfo(full).Length, digest.Hex);
                }

                using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
                return new PackagedFile(relative, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
            })
            .ToList();
}

/// <summary>A package cannot be built, read or compared; the message names the package or file.</summary>
public sealed class PackageException(string message) : Exception(message);
