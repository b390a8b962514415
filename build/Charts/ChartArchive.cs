using Lading.Images;

namespace Lading.Charts;

/// <summary>The one <c>charts.tar.gz</c> of a package: every chart .tgz side by side, with deterministic bytes.</summary>
public static class ChartArchive
{
    public const string FileName = "charts.tar.gz";

    /// <summary>
    /// Writes the chart packages into one archive at <paramref name="destination"/>, each stored under its file name
    /// (below <paramref name="folderInArchive"/> when given), sorted, atomically.
    /// </summary>
    public static Task<Digest> WriteAsync(
        IEnumerable<string> chartPackages, string destination, string? folderInArchive = null, CancellationToken cancellationToken = default)
    {
        var prefix = string.IsNullOrEmpty(folderInArchive) ? string.Empty : folderInArchive.Trim('/') + "/";
        var files = new List<ArchiveFile>();
        var problems = new List<ChartProblem>();
        foreach (var group in chartPackages.Select(Path.GetFullPath).Distinct().GroupBy(Path.GetFileName, StringComparer.Ordinal))
        {
            if (group.Count() > 1)
            {
                problems.Add(new ChartProblem(group.First(), $"two chart packages are named '{group.Key}' ({string.Join(", ", group)}); a package can hold only one."));
                continue;
            }

            var path = group.Single();
            if (!File.Exists(path))
            {
                problems.Add(new ChartProblem(path, "chart package is missing."));
                continue;
            }

            files.Add(new ArchiveFile(prefix + group.Key, () => File.OpenRead(path)));
        }

        if (problems.Count > 0)
        {
            throw new ChartException(problems);
        }

        return DeterministicTarGz.WriteAsync(destination, files, cancellationToken);
    }
}
