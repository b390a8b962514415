namespace Lading.Images;

/// <summary>One image named by a line of an image list.</summary>
public sealed record ImageListEntry
{
    /// <summary>The image: a full reference, a site name (no host), or for an OCI entry its ref name read as a reference.</summary>
    public required ImageReference Reference { get; init; }

    /// <summary>The OCI image layout folder the image is read from (<c>oci:&lt;path&gt;:&lt;ref&gt;</c>), else null.</summary>
    public string? OciLayout { get; init; }

    /// <summary>The ref name to find in the OCI layout's index.json, exactly as written.</summary>
    public string? OciRefName { get; init; }

    public required string File { get; init; }

    public required int Line { get; init; }

    /// <summary>The entry as written on its line, without comment.</summary>
    public required string Text { get; init; }

    /// <summary>True for an entry without host, pulled from the site's source registry.</summary>
    public bool IsSiteName => OciLayout is null && !Reference.HasExplicitRegistry;

    public string Location => $"{File}:{Line}";

    public override string ToString() => Text;

    internal string Key => OciLayout is null ? Reference.ToString() : $"oci:{OciLayout}:{OciRefName}";
}

/// <summary>Image list files (<c>images/*.list</c>): one reference a line, <c>#</c> comments, blank lines ignored.</summary>
public sealed class ImageList
{
    public const string OciPrefix = "oci:";
    public const string FilePattern = "*.list";

    private ImageList(IReadOnlyList<ImageListEntry> entries, IReadOnlyList<string> files)
    {
        Entries = entries;
        Files = files;
    }

    /// <summary>Every image once, in list order; an image listed in several files keeps its first place.</summary>
    public IReadOnlyList<ImageListEntry> Entries { get; }

    /// <summary>The files read, in the order they were read.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Reads one list file, or every <c>*.list</c> of a folder in name order; every problem is reported at once.</summary>
    public static ImageList Load(string fileOrFolder)
    {
        string[] files;
        if (Directory.Exists(fileOrFolder))
        {
            files = Directory.GetFiles(fileOrFolder, FilePattern).Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
            {
                throw new ImageListException([new ImageListProblem(fileOrFolder, 0, "the folder holds no *.list file")]);
            }
        }
        else if (File.Exists(fileOrFolder))
        {
            files = [fileOrFolder];
        }
        else
        {
            throw new ImageListException([new ImageListProblem(fileOrFolder, 0, "no such image list file or folder")]);
        }

        return Read(files.Select(file => (file, File.ReadAllText(file))));
    }

    /// <summary>Parses list text; <paramref name="file"/> names it in messages and anchors relative <c>oci:</c> paths.</summary>
    public static ImageList Parse(string text, string file) => Read([(file, text)]);

    private static ImageList Read(IEnumerable<(string File, string Text)> files)
    {
        var problems = new List<ImageListProblem>();
        var entries = new List<ImageListEntry>();
        var firstSeen = new Dictionary<string, ImageListEntry>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var (file, text) in files)
        {
            names.Add(file);
            foreach (var line in ListText.Entries(text))
            {
                var entry = ParseLine(file, line.Number, line.Text, problems);
                if (entry is null)
                {
                    continue;
                }

                if (firstSeen.TryGetValue(entry.Key, out var earlier))
                {
                    // Generated lists of two charts may share an image; only a repeat inside one file is a mistake.
                    if (earlier.File == file)
                    {
                        problems.Add(new ImageListProblem(file, entry.Line, $"{SafeText.Quote(entry.Text)} is listed twice (first at line {earlier.Line})"));
                    }

                    continue;
                }

                firstSeen.Add(entry.Key, entry);
                entries.Add(entry);
            }
        }

        if (problems.Count > 0)
        {
            throw new ImageListException(problems);
        }

        return new ImageList(entries, names);
    }

    private static ImageListEntry? ParseLine(string file, int line, string text, List<ImageListProblem> problems)
    {
        if (text.Any(char.IsWhiteSpace))
        {
            problems.Add(new ImageListProblem(file, line, $"{SafeText.Quote(text)} holds more than one word; write one image a line"));
            return null;
        }

        if (!text.StartsWith(OciPrefix, StringComparison.Ordinal))
        {
            if (!ImageReference.TryParse(text, out var reference, out var reason))
            {
                problems.Add(new ImageListProblem(file, line, $"{SafeText.Quote(text)} is not a valid image reference: {SafeText.Escape(SafeText.Cut(reason, SafeText.EchoLimit))}"));
                return null;
            }

            return new ImageListEntry { Reference = reference, File = file, Line = line, Text = text };
        }

        // As skopeo reads oci:<path>:<ref>, the path ends at the first colon; the ref name may hold colons.
        var body = text[OciPrefix.Length..];
        var colon = body.IndexOf(':');
        if (colon <= 0 || colon == body.Length - 1)
        {
            problems.Add(new ImageListProblem(file, line, $"{SafeText.Quote(text)} must be oci:<layout folder>:<ref name>, like oci:images/nginx:library/nginx:1.25.3"));
            return null;
        }

        var path = body[..colon];
        var refName = body[(colon + 1)..];
        if (!ImageReference.TryParse(refName, out var named, out var refReason))
        {
            problems.Add(new ImageListProblem(file, line, $"the ref name '{refName}' must name the image, like library/nginx:1.25.3: {refReason}"));
            return null;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        return new ImageListEntry
        {
            Reference = named,
            OciLayout = Path.GetFullPath(path, folder),
            OciRefName = refName,
            File = file,
            Line = line,
            Text = text,
        };
    }
}

public sealed record ImageListProblem(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>Image lists with mistakes; every problem of every file is in <see cref="Problems"/>.</summary>
public sealed class ImageListException(IReadOnlyList<ImageListProblem> problems)
    : Exception($"The image lists have {problems.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, problems.Select(p => "  " + p))}")
{
    public IReadOnlyList<ImageListProblem> Problems { get; } = problems;
}
