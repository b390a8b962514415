namespace Lading.OsRepos;

/// <summary>
/// <c>os/&lt;distro&gt;-&lt;release&gt;.list</c>: one package a line (<c>name</c> or <c>name=version</c>), <c>#</c> comments
/// and blank lines ignored. Names are checked against the distribution's package grammar before anything runs.
/// </summary>
public sealed record OsPackageList(string Distro, string Release, PackageFamily Family, IReadOnlyList<OsPackage> Packages, string Source)
{
    public const string Extension = ".list";

    /// <summary>Reads a list, taking the distribution and release from its file name (debian-12.list, ubuntu-22.04.list).</summary>
    /// <param name="namedAt">Where the list is named (a recipe's os: entry), for the message when it is missing.</param>
    public static OsPackageList Load(string path, string? namedAt = null)
    {
        if (!File.Exists(path))
        {
            throw new OsRepoException(namedAt ?? path, $"no such OS package list: {path}");
        }

        var (distro, release) = SplitFileName(path);
        return Parse(File.ReadAllText(path), path, distro, release);
    }

    /// <summary>Every list in a folder (os/), in name order.</summary>
    public static IReadOnlyList<OsPackageList> LoadFolder(string folder)
    {
        var lists = new List<OsPackageList>();
        var problems = new List<OsRepoProblem>();
        foreach (var path in Directory.EnumerateFiles(folder, "*" + Extension).Order(StringComparer.Ordinal))
        {
            try
            {
                lists.Add(Load(path));
            }
            catch (OsRepoException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        return problems.Count > 0 ? throw new OsRepoException(problems) : lists;
    }

    /// <exception cref="OsRepoException">Every bad line, at once.</exception>
    public static OsPackageList Parse(string text, string source, string distro, string release)
    {
        var family = PackageFamilies.Of(distro, source);
        var problems = new List<OsRepoProblem>();
        var packages = new List<OsPackage>();
        var seen = new Dictionary<string, OsPackage>(StringComparer.Ordinal);
        foreach (var (number, _, line) in ListText.Entries(text))
        {
            var where = $"{source}:{number}";
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? line : line[..equals].Trim();
            var version = equals < 0 ? null : line[(equals + 1)..].Trim();
            var problem = OsPackageName.Problem(name, version, family);
            if (problem is not null)
            {
                problems.Add(new OsRepoProblem(where, problem));
                continue;
            }

            if (seen.TryGetValue(name, out var earlier))
            {
                // The same package twice is harmless unless the two lines pin different versions.
                if (earlier.Version != version)
                {
                    problems.Add(new OsRepoProblem(where, $"{line} contradicts {earlier} at {earlier.Where}"));
                }

                continue;
            }

            var package = new OsPackage(name, version, where);
            seen[name] = package;
            packages.Add(package);
        }

        if (problems.Count > 0)
        {
            throw new OsRepoException(problems);
        }

        return new OsPackageList(distro, release, family, packages, source);
    }

    /// <summary>Checks packages made in code the way a list file's lines are checked, so nothing unchecked reaches apt or dnf.</summary>
    public static void Validate(IEnumerable<OsPackage> packages, PackageFamily family)
    {
        var problems = packages.Select(p => (p, Problem: OsPackageName.Problem(p.Name, p.Version, family)))
            .Where(x => x.Problem is not null)
            .Select(x => new OsRepoProblem(x.p.Where, x.Problem!))
            .ToList();
        if (problems.Count > 0)
        {
            throw new OsRepoException(problems);
        }
    }

    private static (string Distro, string Release) SplitFileName(string path)
    {
        var name = Path.GetFileName(path);
        var stem = name.EndsWith(Extension, StringComparison.Ordinal) ? name[..^Extension.Length] : name;
        var dash = stem.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || dash == stem.Length - 1)
        {
            throw new OsRepoException(path, $"an OS package list is named <distro>-<release>{Extension} (debian-12{Extension}, ubuntu-22.04{Extension}, rocky-9{Extension}), not {name}");
        }

        return (stem[..dash], stem[(dash + 1)..]);
    }
}
