using System.IO.Compression;
using System.Text.RegularExpressions;
using Cake.Core.IO;
using Lading.Files;
using Lading.Tools;
using Lading.Tools.Apt;
using Path = System.IO.Path;

namespace Lading.OsRepos;

/// <summary>
/// Builds the offline apt repository of a Debian or Ubuntu target: apt, in an isolated root with an empty dpkg status,
/// resolves the full dependency closure of the list (recommends left out), the .debs are fetched into the cache, and
/// the closure is laid out as a flat repository (pool/, Packages, Packages.gz, Release) that
/// <c>deb [trusted=yes] &lt;url&gt; ./</c> installs from.
/// </summary>
/// <remarks>
/// Essential packages (dpkg, coreutils, bash...) are not added unless something declares a dependency on them, or
/// <see cref="OsRepoOptions.IncludeEssential"/> asks for them: Debian policy lets packages depend on them implicitly,
/// and every installed Debian or Ubuntu machine already has them.
/// Every declared dependency is included, even one a typical machine has (libc6), since the status is empty.
/// </remarks>
public sealed partial class AptRepoBuilder(AptGetRunner aptGet, DpkgScanPackagesRunner scanPackages, AptFtpArchiveRunner ftpArchive)
{
    public OsRepo Build(OsTarget target, IReadOnlyList<OsPackage> packages, OsRepoOptions options, CancellationToken cancellationToken = default)
    {
        target.Validate();
        if (target.Family != PackageFamily.Deb)
        {
            throw new OsRepoException(target.ToString(), "is not a Debian or Ubuntu target; rpm repositories are built by RpmRepoBuilder");
        }

        if (packages.Count == 0)
        {
            throw new OsRepoException(target.ToString(), "the package list is empty");
        }

        OsPackageList.Validate(packages, PackageFamily.Deb);

        var root = AptRoot.Prepare(Path.Combine(options.Work, "apt", target.RepositoryPath), target);
        var update = Run(target, "apt-get update", () => aptGet.Update(root.Settings(aptGet: options.AptGet)));

        // apt only warns when a source cannot be reached, then resolves from older lists or none: that is a failure here.
        var unreachable = update.Errors.Concat(update.Output).Where(l => FetchFailed().IsMatch(l)).ToList();
        if (unreachable.Count > 0)
        {
            throw new OsRepoException(target.ToString(), $"apt-get update failed: not every apt source could be read:{Environment.NewLine}{string.Join(Environment.NewLine, unreachable)}");
        }

        cancellationToken.ThrowIfCancellationRequested();

        var requested = options.IncludeEssential ? packages.Concat(root.EssentialPackages().Where(e => packages.All(p => p.Name != e.Name))).ToList() : packages;
        var closure = Resolve(target, root, requested, options);
        cancellationToken.ThrowIfCancellationRequested();

        var cache = Path.Combine(options.Cache, "os", target.RepositoryPath);
        Directory.CreateDirectory(cache);
        Run(target, "apt-get download", () => aptGet.Download(closure.Select(p => DownloadRequest(p, target)), root.Settings(workingDirectory: cache, aptGet: options.AptGet)));
        var missing = closure.Where(p => !File.Exists(Path.Combine(cache, p.File))).ToList();
        if (missing.Count > 0)
        {
            throw new OsRepoException(target.ToString(), $"apt-get download did not leave {string.Join(", ", missing.Select(p => p.File))} in {cache}");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var folder = Path.Combine(options.Repositories, target.RepositoryPath);
        RepositoryFolder.Publish(target, folder, stage => Index(target, closure, cache, stage));
        return new OsRepo(target, folder, closure.Select(p => p with { File = $"pool/{p.File}" }).ToList());
    }

    /// <summary>The packages `apt-get install` would install on an empty machine: the `Inst` lines of a simulation.</summary>
    internal static IReadOnlyList<OsRepoPackage> ParseSimulation(IEnumerable<string> lines) =>
        lines.Select(l => InstLine().Match(l)).Where(m => m.Success)
            .Select(m => new OsRepoPackage(m.Groups["name"].Value, m.Groups["version"].Value, m.Groups["arch"].Value, DebFileName(m.Groups["name"].Value, m.Groups["version"].Value, m.Groups["arch"].Value)))
            .DistinctBy(p => (p.Name, p.Architecture))
            .ToList();

    /// <summary>The file name apt gives a downloaded .deb: the epoch's ':' is written %3a.</summary>
    internal static string DebFileName(string name, string version, string architecture) =>
        $"{name}_{version.Replace(":", "%3a", StringComparison.Ordinal)}_{architecture}.deb";

    private IReadOnlyList<OsRepoPackage> Resolve(OsTarget target, AptRoot root, IReadOnlyList<OsPackage> packages, OsRepoOptions options)
    {
        var result = aptGet.SimulateInstall(packages.Select(p => p.AptRequest), root.Settings(aptGet: options.AptGet));
        if (result.ExitCode != 0)
        {
            throw new OsRepoException(Explain(target, packages, result));
        }

        var closure = ParseSimulation(result.Output);
        if (closure.Count == 0)
        {
            throw new OsRepoException(target.ToString(), $"apt resolved nothing to install for {string.Join(' ', packages)}:{Environment.NewLine}{result.Text}");
        }

        return closure;
    }

    /// <summary>What apt refused, as problems at the list lines of the packages it names.</summary>
    private static List<OsRepoProblem> Explain(OsTarget target, IReadOnlyList<OsPackage> packages, ToolResult result)
    {
        var sources = string.Join(", ", target.AptSources.Select(s => $"{s.Uri} {s.Suite}"));
        var problems = new List<OsRepoProblem>();
        foreach (var line in result.Errors.Concat(result.Output))
        {
            var missing = NotFound().Match(line);
            if (!missing.Success)
            {
                continue;
            }

            var name = missing.Groups["name"].Value;
            var where = packages.FirstOrDefault(p => p.Name == name)?.Where ?? target.ToString();
            var detail = missing.Groups["version"].Success ? $"version {missing.Groups["version"].Value} of package '{name}'" : $"package '{name}'";
            problems.Add(new OsRepoProblem(where, $"{detail} is not available for {target} in the apt sources ({sources})"));
        }

        if (problems.Count == 0)
        {
            var said = string.Join(Environment.NewLine, result.Errors.Concat(result.Output).Where(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith(' ')));
            problems.Add(new OsRepoProblem(target.ToString(), $"apt cannot install {string.Join(' ', packages)} on an empty {target} machine from {sources}:{Environment.NewLine}{said}"));
        }

        return problems;
    }

    private static string DownloadRequest(OsRepoPackage package, OsTarget target) =>
        package.Architecture == "all" || package.Architecture == target.Architecture
            ? $"{package.Name}={package.Version}"
            : $"{package.Name}:{package.Architecture}={package.Version}";

    private void Index(OsTarget target, IReadOnlyList<OsRepoPackage> closure, string cache, string stage)
    {
        var pool = Path.Combine(stage, "pool");
        Directory.CreateDirectory(pool);
        foreach (var package in closure)
        {
            HardLink.Place(Path.Combine(cache, package.File), Path.Combine(pool, package.File));
        }

        var packagesText = Run(target, "dpkg-scanpackages", () => scanPackages.Scan(new DirectoryPath(stage), "pool"));
        File.WriteAllText(Path.Combine(stage, "Packages"), packagesText);
        using (var gz = new GZipStream(File.Create(Path.Combine(stage, "Packages.gz")), CompressionLevel.SmallestSize))
        {
            gz.Write(System.Text.Encoding.UTF8.GetBytes(packagesText));
        }

        var release = Run(target, "apt-ftparchive release", () => ftpArchive.Release(new DirectoryPath(stage),
        [
            new("Origin", "Lading"),
            new("Label", $"{target.Name} offline"),
            new("Suite", target.Name),
            new("Architectures", target.Architecture == "all" ? "all" : $"{target.Architecture} all"),
            new("Description", $"Offline packages for {target}"),
        ]));
        File.WriteAllText(Path.Combine(stage, "Release"), release);
    }

    private static T Run<T>(OsTarget target, string step, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ToolException e)
        {
            throw new OsRepoException(target.ToString(), $"{step} failed: {e.Message}");
        }
    }

    [GeneratedRegex(@"^Inst (?<name>[^\s:]+)(?::\S+)? (?:\[[^\]]*\] )?\((?<version>\S+) [^\[]*\[(?<arch>[^\]]+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex InstLine();

    [GeneratedRegex(@"^[WE]: (?:Failed to fetch|Some index files failed to download)", RegexOptions.CultureInvariant)]
    private static partial Regex FetchFailed();

    // apt's three ways of saying a request cannot be met by any source.
    [GeneratedRegex(@"^E: (?:Unable to locate package (?<name>\S+)|Package '(?<name>[^']+)' has no installation candidate|Version '(?<version>[^']+)' for '(?<name>[^']+)' was not found)", RegexOptions.CultureInvariant)]
    private static partial Regex NotFound();
}
