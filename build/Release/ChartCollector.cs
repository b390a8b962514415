namespace Lading.Release;

/// <summary>
/// Copies a component's chart folders, as fetched at its tag, into the release repo: each chartPath becomes
/// targetChartPath/basename, replacing the old folder whole (stale files go), executable bits kept.
/// A symbolic link that stays inside the component repo is copied as what it points to; one that leaves it is refused.
/// </summary>
public static class ChartCollector
{
    private const int MaxLinkDepth = 32;

    /// <summary>Collects every chart of <paramref name="repo"/>; returns the addon folders written, relative to the release repo.</summary>
    public static IReadOnlyList<string> Collect(ComponentRepo repo, string tag, string checkout, string releaseRoot)
    {
        var problems = new List<ReleaseProblem>();
        var root = RealFolder(Path.GetFullPath(checkout));
        var plans = new List<(string Source, string Target, string Addon)>();
        foreach (var (chartPath, addon) in repo.ChartPaths.Zip(repo.AddonFolders))
        {
            var where = $"{repo.RepositoryFullName}@{tag}:{chartPath}";
            if (!IsSafeRelative(chartPath) || !IsSafeRelative(addon))
            {
                problems.Add(new ReleaseProblem(repo.File, repo.Line, repo.Column, $"{where}: chart paths must stay inside the repositories (no absolute paths, no '..')"));
                continue;
            }

            var source = Path.GetFullPath(Path.Combine(root, chartPath));
            if (!Directory.Exists(source))
            {
                problems.Add(new ReleaseProblem(repo.File, repo.Line, repo.Column, $"{where}: the chart path does not exist at this tag"));
                continue;
            }

            if (!File.Exists(Path.Combine(source, "Chart.yaml")))
            {
                problems.Add(new ReleaseProblem(repo.File, repo.Line, repo.Column, $"{where}: no Chart.yaml there, so it is no Helm chart"));
                continue;
            }

            plans.Add((source, Path.Combine(releaseRoot, addon), addon));
        }

        // Check every link before writing anything, so a refused chart leaves the release repo as it was.
        foreach (var (source, _, _) in plans)
        {
            CheckLinks(source, root, $"{repo.RepositoryFullName}@{tag}", repo, problems, 0);
        }

        if (problems.Count > 0)
        {
            throw new ReleaseException(problems);
        }

        foreach (var (source, target, _) in plans)
        {
            Replace(source, target, root);
        }

        return plans.Select(p => p.Addon).ToList();
    }

    private static void Replace(string source, string target, string repoRoot)
    {
        var staging = target + ".lading-new";
        var old = target + ".lading-old";
        foreach (var leftover in new[] { staging, old }.Where(Directory.Exists))
        {
            Directory.Delete(leftover, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        CopyTree(source, staging, repoRoot, 0);
        if (Directory.Exists(target))
        {
            Directory.Move(target, old);
        }

        Directory.Move(staging, target);
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    private static void CopyTree(string source, string target, string repoRoot, int depth)
    {
        Directory.CreateDirectory(target);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.Name == ".git")
            {
                continue;
            }

            var destination = Path.Combine(target, entry.Name);
            var real = entry.LinkTarget is null ? entry.FullName : Resolve(entry.FullName, 0) ?? throw new InvalidOperationException($"{entry.FullName}: link checked before copying, yet unresolvable");
            if (Directory.Exists(real))
            {
                CopyTree(real, destination, repoRoot, depth + (entry.LinkTarget is null ? 0 : 1));
            }
            else
            {
                File.Copy(real, destination);
                if (!OperatingSystem.IsWindows())
                {
                    // Scripts in charts stay executable.
                    File.SetUnixFileMode(destination, File.GetUnixFileMode(real));
                }
            }
        }
    }

    private static void CheckLinks(string folder, string repoRoot, string where, ComponentRepo repo, List<ReleaseProblem> problems, int depth)
    {
        if (depth > MaxLinkDepth)
        {
            problems.Add(new ReleaseProblem(repo.File, repo.Line, repo.Column, $"{where}: symbolic links nest too deep under {Relative(repoRoot, folder)} (a loop?)"));
            return;
        }

        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry.Name == ".git")
            {
                continue;
            }

            if (entry.LinkTarget is { } link)
            {
                var resolved = Resolve(entry.FullName, 0);
                if (Path.IsPathRooted(link) || resolved is null || !IsInside(repoRoot, resolved))
                {
                    problems.Add(new ReleaseProblem(repo.File, repo.Line, repo.Column,
                        $"{where}: {Relative(repoRoot, entry.FullName)} is a symbolic link to '{link}', outside the component repository; refused"));
                    continue;
                }

                if (!Path.Exists(resolved))
                {
                    problems.Add(new ReleaseProblem(repo.File, repo.Line, repo.Column, $"{where}: {Relative(repoRoot, entry.FullName)} is a broken symbolic link to '{link}'"));
                    continue;
                }

                if (Directory.Exists(resolved))
                {
                    CheckLinks(resolved, repoRoot, where, repo, problems, depth + 1);
                }
            }
            else if (entry is DirectoryInfo directory)
            {
                CheckLinks(directory.FullName, repoRoot, where, repo, problems, depth);
            }
        }
    }

    /// <summary>Follows a chain of links to the path it finally names (null for a loop); every hop resolved from its own folder.</summary>
    private static string? Resolve(string path, int hops)
    {
        if (hops > MaxLinkDepth)
        {
            return null;
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not { } link)
        {
            var parent = Path.GetDirectoryName(path);
            return parent is null ? path : Path.Combine(RealFolder(parent), Path.GetFileName(path));
        }

        return Resolve(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, link)), hops + 1);
    }

    private static string RealFolder(string folder)
    {
        var info = new DirectoryInfo(folder);
        var resolved = info.ResolveLinkTarget(returnFinalTarget: true);
        if (resolved is not null)
        {
            return RealFolder(resolved.FullName);
        }

        return info.Parent is null ? info.FullName : Path.Combine(RealFolder(info.Parent.FullName), info.Name);
    }

    private static bool IsInside(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative != ".." && !relative.StartsWith("../", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    private static bool IsSafeRelative(string path) =>
        !Path.IsPathRooted(path) && !path.Split('/', '\\').Contains("..") && path.Trim('/').Length > 0;

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path);
}
