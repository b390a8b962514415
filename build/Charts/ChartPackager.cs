using System.Formats.Tar;
using System.IO.Compression;
using Lading.Images;

namespace Lading.Charts;

/// <summary>One file as it goes into a chart package: its path inside the archive and its bytes.</summary>
public sealed record ChartEntry(string Path, byte[] Content);

/// <summary>What a chart folder packages to: its Chart.yaml and the archive's entries, sorted, under <c>&lt;name&gt;/</c>.</summary>
public sealed record ChartContents(ChartMetadata Metadata, IReadOnlyList<ChartEntry> Entries);

/// <summary>A chart package written to disk.</summary>
public sealed record PackagedChart(string Name, string Version, string Path, Digest Sha256, IReadOnlyList<string> Entries);

/// <summary>
/// Packages a chart folder into the .tgz helm would make (same entries, helm reads it the same way) without helm,
/// and with deterministic bytes: the same chart always gives the same sha256.
/// </summary>
public static class ChartPackager
{
    /// <summary>Helm refuses to unpack charts larger than this; so do we, against archive bombs.</summary>
    public const long MaxChartBytes = 100L * 1024 * 1024;

    /// <summary>Writes <c>&lt;name&gt;-&lt;version&gt;.tgz</c> into <paramref name="outputFolder"/>, atomically.</summary>
    public static Task<PackagedChart> PackageAsync(string chartFolder, string outputFolder, CancellationToken cancellationToken = default) =>
        WriteAsync(Read(chartFolder), outputFolder, cancellationToken);

    /// <summary>
    /// Packages every chart folder, at most <paramref name="maxParallel"/> at a time. Nothing is written unless every chart
    /// reads cleanly, and then the problems of all charts are reported together.
    /// </summary>
    public static async Task<IReadOnlyList<PackagedChart>> PackageAllAsync(
        IEnumerable<string> chartFolders, string outputFolder, int maxParallel, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        var folders = chartFolders.ToList();
        var contents = new ChartContents?[folders.Count];
        var problems = new List<ChartProblem>();
        for (var i = 0; i < folders.Count; i++)
        {
            try
            {
                contents[i] = Read(folders[i]);
            }
            catch (ChartException e)
            {
                problems.AddRange(e.Problems);
            }

            problems.AddRange(ChartDependencies.Problems(folders[i]));
        }

        foreach (var clash in contents.OfType<ChartContents>().GroupBy(c => c.Metadata.PackageFileName, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(new ChartProblem(clash.First().Metadata.File, $"{clash.Count()} charts package to {clash.Key} ({string.Join(", ", clash.Select(c => c.Metadata.File))}); each chart needs its own name and version."));
        }

        if (problems.Count > 0)
        {
            throw new ChartException(problems);
        }

        var packaged = new PackagedChart[folders.Count];
        await Parallel.ForAsync(0, folders.Count, new ParallelOptions { MaxDegreeOfParallelism = maxParallel, CancellationToken = cancellationToken }, async (i, token) =>
        {
            packaged[i] = await WriteAsync(contents[i]!, outputFolder, token);
        });
        return packaged;
    }

    /// <summary>
    /// Reads a chart folder as helm's loader does: .helmignore applied, subcharts under charts/ (folders and .tgz)
    /// included, each under its own chart name. Every problem (bad Chart.yaml, escaping symlink, hostile archive entry)
    /// is reported at once.
    /// </summary>
    public static ChartContents Read(string chartFolder)
    {
        var root = Path.GetFullPath(chartFolder);
        if (!Directory.Exists(root))
        {
            throw new ChartException(new ChartProblem(root, "is not a folder; a chart is a folder holding Chart.yaml."));
        }

        var problems = new List<ChartProblem>();
        var ignore = HelmIgnore.Load(root);

        var files = new List<LoadedFile>();
        var realRoot = RealPath(root);
        Walk(root, realRoot, string.Empty, [realRoot], ignore, realRoot, files, problems);
        var chart = Assemble(files, rel => Path.Combine(root, rel), problems);
        if (problems.Count > 0 || chart is null)
        {
            throw new ChartException(problems);
        }

        var entries = chart.Value.Entries
            .Select(e => new ChartEntry($"{chart.Value.Metadata.Name}/{e.Path}", e.Content))
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ToList();
        return new ChartContents(chart.Value.Metadata, entries);
    }

    private static async Task<PackagedChart> WriteAsync(ChartContents contents, string outputFolder, CancellationToken cancellationToken)
    {
        var destination = Path.Combine(outputFolder, contents.Metadata.PackageFileName);
        var files = contents.Entries.Select(e => new ArchiveFile(e.Path, () => new MemoryStream(e.Content, writable: false)));
        var digest = await DeterministicTarGz.WriteAsync(destination, files, cancellationToken);
        return new PackagedChart(contents.Metadata.Name, contents.Metadata.Version, destination, digest, contents.Entries.Select(e => e.Path).ToList());
    }

    private sealed record LoadedFile(string Path, byte[] Content);

    private static void Walk(
        string folder, string realFolder, string relative, List<string> realAncestors, HelmIgnore ignore, string realRoot,
        List<LoadedFile> files, List<ChartProblem> problems)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var rel = relative.Length == 0 ? name : $"{relative}/{name}";
            var info = new FileInfo(path);
            var real = Path.Combine(realFolder, name);
            var isDirectory = Directory.Exists(path);
            if (info.LinkTarget is not null)
            {
                // Symlinks are followed like helm does, but only while they stay inside the chart.
                real = RealPath(real);
                if (!IsInside(real, realRoot))
                {
                    problems.Add(new ChartProblem(path, $"is a symbolic link to '{info.LinkTarget}', outside the chart; copy what it points to into the chart instead."));
                    continue;
                }

                if (!File.Exists(real) && !Directory.Exists(real))
                {
                    problems.Add(new ChartProblem(path, $"is a symbolic link to '{info.LinkTarget}', which does not exist."));
                    continue;
                }

                isDirectory = Directory.Exists(real);
                if (isDirectory && realAncestors.Any(a => a == real || IsInside(a, real)))
                {
                    problems.Add(new ChartProblem(path, $"is a symbolic link to '{info.LinkTarget}', a folder that contains it: the chart would never end."));
                    continue;
                }
            }

            if (ignore.Ignores(rel, isDirectory))
            {
                continue;
            }

            if (isDirectory)
            {
                Walk(path, real, rel, [.. realAncestors, real], ignore, realRoot, files, problems);
                continue;
            }

            if (new FileInfo(real).Length > MaxChartBytes)
            {
                problems.Add(new ChartProblem(path, $"is larger than {MaxChartBytes / 1024 / 1024} MiB, which helm refuses in a chart."));
                continue;
            }

            try
            {
                files.Add(new LoadedFile(rel, WithoutByteOrderMark(File.ReadAllBytes(real))));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new ChartProblem(path, $"cannot be read: {e.Message}"));
            }
        }
    }

    private readonly record struct AssembledChart(ChartMetadata Metadata, List<LoadedFile> Entries);

    /// <summary>Splits a chart's files into its own and its subcharts', the way helm's loader groups them under charts/.</summary>
    private static AssembledChart? Assemble(IReadOnlyList<LoadedFile> files, Func<string, string> describe, List<ChartProblem> problems)
    {
        ChartMetadata? metadata = null;
        var chartYaml = files.FirstOrDefault(f => f.Path == ChartMetadata.FileName);
        if (chartYaml is null)
        {
            problems.Add(new ChartProblem(describe(ChartMetadata.FileName), "Chart.yaml is missing (or left out by .helmignore): every chart needs one."));
        }
        else
        {
            try
            {
                metadata = ChartMetadata.Parse(DecodeUtf8(chartYaml.Content), describe(ChartMetadata.FileName));
            }
            catch (ChartException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        var entries = new List<LoadedFile>();
        var subchartFolders = new SortedDictionary<string, List<LoadedFile>>(StringComparer.Ordinal);
        var subchartArchives = new List<LoadedFile>();
        foreach (var file in files)
        {
            if (!file.Path.StartsWith("charts/", StringComparison.Ordinal))
            {
                entries.Add(file);
                continue;
            }

            var rest = file.Path["charts/".Length..];
            var slash = rest.IndexOf('/');
            if (slash >= 0)
            {
                var folder = rest[..slash];
                if (!subchartFolders.TryGetValue(folder, out var list))
                {
                    subchartFolders[folder] = list = [];
                }

                list.Add(file with { Path = rest[(slash + 1)..] });
            }
            else if (rest.EndsWith(".tgz", StringComparison.Ordinal))
            {
                subchartArchives.Add(file);
            }
            else if (rest.EndsWith(".prov", StringComparison.Ordinal))
            {
                entries.Add(file);
            }
            else
            {
                problems.Add(new ChartProblem(describe(file.Path), "is neither a subchart folder nor a chart archive (.tgz); helm cannot load it from charts/."));
            }
        }

        var subcharts = new List<(string Source, AssembledChart Chart)>();
        foreach (var (folder, folderFiles) in subchartFolders)
        {
            var sub = Assemble(folderFiles, rel => describe($"charts/{folder}/{rel}"), problems);
            if (sub is not null)
            {
                subcharts.Add((describe($"charts/{folder}"), sub.Value));
            }
        }

        foreach (var archive in subchartArchives)
        {
            var source = describe(archive.Path);
            var unpacked = Unpack(archive.Content, source, problems);
            var sub = unpacked is null ? null : Assemble(unpacked, rel => $"{source}:{rel}", problems);
            if (sub is not null)
            {
                subcharts.Add((source, sub.Value));
            }
        }

        foreach (var group in subcharts.GroupBy(s => s.Chart.Metadata.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(new ChartProblem(group.First().Source, $"subchart '{group.Key}' is present more than once under charts/ ({string.Join(", ", group.Select(s => s.Source))}); keep one."));
        }

        foreach (var (_, sub) in subcharts)
        {
            // Helm stores every subchart, even one given as .tgz, expanded under charts/<its Chart.yaml name>/.
            entries.AddRange(sub.Entries.Select(e => e with { Path = $"charts/{sub.Metadata.Name}/{e.Path}" }));
        }

        return metadata is null ? null : new AssembledChart(metadata, entries);
    }

    /// <summary>Reads a packaged subchart: its files relative to its top folder; links and paths leaving the chart are refused.</summary>
    private static List<LoadedFile>? Unpack(byte[] archive, string source, List<ChartProblem> problems)
    {
        var files = new List<LoadedFile>();
        var before = problems.Count;
        long total = 0;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(archive, writable: false), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                var name = entry.Name.Replace('\\', '/');
                if (entry.EntryType is TarEntryType.Directory or TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }

                var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (name.StartsWith('/') || segments.Any(s => s == ".."))
                {
                    problems.Add(new ChartProblem(source, $"entry '{entry.Name}' points outside the chart ('..' or an absolute path); the archive is refused."));
                    continue;
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                {
                    problems.Add(new ChartProblem(source, $"entry '{entry.Name}' is a {entry.EntryType}, not a regular file; a chart archive holds only files."));
                    continue;
                }

                if (segments.Length < 2)
                {
                    problems.Add(new ChartProblem(source, $"entry '{entry.Name}' is not inside the chart's top folder."));
                    continue;
                }

                total += entry.Length;
                if (total > MaxChartBytes)
                {
                    problems.Add(new ChartProblem(source, $"unpacks to more than {MaxChartBytes / 1024 / 1024} MiB, which helm refuses."));
                    return null;
                }

                using var content = new MemoryStream();
                entry.DataStream?.CopyTo(content);
                files.Add(new LoadedFile(string.Join('/', segments.Skip(1)), WithoutByteOrderMark(content.ToArray())));
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            problems.Add(new ChartProblem(source, $"is not a readable chart archive (.tgz): {e.Message}"));
            return null;
        }

        return problems.Count > before ? null : files;
    }

    /// <summary>Helm drops a UTF-8 byte order mark from every file it loads, so the package holds none.</summary>
    private static byte[] WithoutByteOrderMark(byte[] content) =>
        content is [0xEF, 0xBB, 0xBF, ..] ? content[3..] : content;

    private static string DecodeUtf8(byte[] content)
    {
        using var reader = new StreamReader(new MemoryStream(content), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static bool IsInside(string path, string folder) =>
        path == folder || path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The path with every symbolic link along it resolved, as the kernel would.</summary>
    internal static string RealPath(string path)
    {
        var pending = new Stack<string>(Path.GetFullPath(path).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = Path.GetPathRoot(Path.GetFullPath(path))!;
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? resolved;
                continue;
            }

            var next = Path.Combine(resolved, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                resolved = next;
                continue;
            }

            if (++hops > 40)
            {
                throw new ChartException(new ChartProblem(path, "goes through too many symbolic links (a loop?)."));
            }

            if (Path.IsPathRooted(target))
            {
                resolved = Path.GetPathRoot(target)!;
            }

            foreach (var piece in target.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(piece);
            }
        }

        return resolved;
    }
}
