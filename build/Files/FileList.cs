namespace Lading.Files;

/// <summary>
/// files.list: one URL per line, optionally followed by <c>sha256:&lt;hex&gt;</c>; <c>#</c> comments and blank lines
/// are ignored. Checksums may come instead from a separate sha256sum-format file whose names are the URL, its place
/// under files/, or its file name.
/// </summary>
public sealed record FileList(IReadOnlyList<FileEntry> Entries)
{
    /// <exception cref="FileListException">A file is missing, or every bad line of both files, at once.</exception>
    public static FileList Load(string path, string? checksumsPath = null)
    {
        var missing = new[] { (Path: path, What: "files list"), (Path: checksumsPath, What: "checksums file") }
            .Where(f => f.Path is not null && !File.Exists(f.Path))
            .Select(f => new FileListProblem(f.Path!, $"no such {f.What}"))
            .ToList();
        if (missing.Count > 0)
        {
            throw new FileListException(missing);
        }

        return Parse(File.ReadAllText(path), path, checksumsPath is null ? null : File.ReadAllText(checksumsPath), checksumsPath);
    }

    /// <exception cref="FileListException">Every bad line of both files, at once.</exception>
    public static FileList Parse(string text, string source, string? checksumsText = null, string? checksumsSource = null)
    {
        var problems = new List<FileListProblem>();
        var entries = ParseLines(text, source, problems);
        if (checksumsText is not null)
        {
            var checksums = Checksums.Parse(checksumsText, checksumsSource ?? "checksums", problems);
            entries = Apply(entries, checksums, problems);
        }

        var collisions = entries.GroupBy(e => e.RelativePath, StringComparer.Ordinal).Where(g => g.Count() > 1);
        foreach (var group in collisions)
        {
            problems.Add(new FileListProblem(group.Last().Where, $"{group.Last().Url} lands on files/{group.Key}, as {group.First().Url} ({group.First().Where}) does"));
        }

        if (problems.Count > 0)
        {
            throw new FileListException(problems.OrderBy(p => p.Where, StringComparer.Ordinal).ToList());
        }

        return new FileList(entries);
    }

    private static List<FileEntry> ParseLines(string text, string source, List<FileListProblem> problems)
    {
        var entries = new List<FileEntry>();
        var byUrl = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (number, _, line) in ListText.Entries(text))
        {
            var where = $"{source}:{number}";
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            string? sha256 = null;
            var fine = true;
            if (words.Length > 2)
            {
                problems.Add(new FileListProblem(where, "expected a URL and at most 'sha256:<hex>' after it"));
                fine = false;
            }
            else if (words.Length == 2)
            {
                var hex = words[1].StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? words[1][7..] : null;
                if (hex is null || !Checksums.IsSha256(hex))
                {
                    problems.Add(new FileListProblem(where, $"{SafeText.Quote(words[1])} is not 'sha256:<64 hex digits>'"));
                    fine = false;
                }
                else
                {
                    sha256 = hex.ToLowerInvariant();
                }
            }

            if (!FileLayout.TryRelativePath(words[0], out var uri, out var relativePath, out var problem))
            {
                problems.Add(new FileListProblem(where, problem));
                continue;
            }

            if (!fine)
            {
                continue;
            }

            if (byUrl.TryGetValue(uri!.AbsoluteUri, out var earlier))
            {
                // The same URL twice is harmless unless the two lines disagree on its hash.
                var first = entries[earlier];
                if (sha256 is not null && first.Sha256 is not null && sha256 != first.Sha256)
                {
                    problems.Add(new FileListProblem(where, $"sha256 {sha256} differs from {first.Sha256} given at {first.Where}"));
                }
                else if (first.Sha256 is null && sha256 is not null)
                {
                    entries[earlier] = first with { Sha256 = sha256 };
                }

                continue;
            }

            byUrl[uri.AbsoluteUri] = entries.Count;
            entries.Add(FileEntry.Checked(uri, relativePath, sha256, where));
        }

        return entries;
    }

    private static List<FileEntry> Apply(List<FileEntry> entries, Checksums checksums, List<FileListProblem> problems)
    {
        var byName = checksums.Lines.ToLookup(l => l.Name, StringComparer.Ordinal);
        var fileNames = entries.GroupBy(e => FileName(e)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<FileEntry>(entries.Count);
        foreach (var entry in entries)
        {
            var match = byName[entry.Url.AbsoluteUri].Concat(byName[entry.RelativePath]).Concat(byName["files/" + entry.RelativePath]).ToList();
            if (match.Count == 0 && fileNames[FileName(entry)] == 1)
            {
                match = byName[FileName(entry)].ToList();
            }

            var hashes = match.Select(m => m.Sha256).Distinct().ToList();
            if (hashes.Count > 1)
            {
                problems.Add(new FileListProblem(match[1].Where, $"{entry.Url} has two different checksums ({string.Join(", ", match.Select(m => m.Where))})"));
            }
            else if (hashes.Count == 1 && entry.Sha256 is not null && entry.Sha256 != hashes[0])
            {
                problems.Add(new FileListProblem(match[0].Where, $"sha256 {hashes[0]} differs from {entry.Sha256} given at {entry.Where}"));
            }
            else if (hashes.Count == 0 && entry.Sha256 is null)
            {
                problems.Add(new FileListProblem(entry.Where, $"the checksums file has no line for {entry.Url} (by URL, files/ path or file name)"));
            }

            result.Add(hashes.Count == 1 ? entry with { Sha256 = hashes[0] } : entry);
        }

        return result;
    }

    private static string FileName(FileEntry entry) => entry.RelativePath[(entry.RelativePath.LastIndexOf('/') + 1)..];
}
