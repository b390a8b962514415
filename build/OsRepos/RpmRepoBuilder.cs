using Cake.Core.IO;
using Lading.Tools;
using Lading.Tools.Buildah;
using Lading.Tools.Docker;
using Path = System.IO.Path;

namespace Lading.OsRepos;

/// <summary>
/// Builds the offline rpm repository of a Rocky, CentOS, openEuler... target: writes <see cref="RpmRepoDockerfile"/>
/// into a build context and builds it with buildah or docker buildx straight into a folder, swapped into place whole.
/// </summary>
public sealed class RpmRepoBuilder(BuildahRunner buildah, DockerBuildxRunner docker)
{
    /// <summary>Writes the build context of a target (Dockerfile, and the .repo file when it has extra repositories); returns its folder.</summary>
    public static string WriteContext(OsTarget target, IReadOnlyList<OsPackage> packages, string work)
    {
        var dockerfile = RpmRepoDockerfile.Render(target, packages);
        var context = Path.Combine(work, "rpm", target.RepositoryPath);
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, RpmRepoDockerfile.FileName), dockerfile);
        var repoFile = Path.Combine(context, RpmRepoDockerfile.RepoFileName);
        if (RpmRepoDockerfile.RenderRepoFile(target) is { } repositories)
        {
            File.WriteAllText(repoFile, repositories);
        }
        else if (File.Exists(repoFile))
        {
            File.Delete(repoFile);
        }

        return context;
    }

    public OsRepo Build(OsTarget target, IReadOnlyList<OsPackage> packages, OsRepoOptions options, CancellationToken cancellationToken = default)
    {
        target.Validate();
        if (target.Family != PackageFamily.Rpm)
        {
            throw new OsRepoException(target.ToString(), "is not an rpm target; Debian and Ubuntu repositories are built by AptRepoBuilder");
        }

        var context = WriteContext(target, packages, options.Work);
        cancellationToken.ThrowIfCancellationRequested();
        var folder = Path.Combine(options.Repositories, target.RepositoryPath);
        RepositoryFolder.Publish(target, folder, stage =>
        {
            try
            {
                BuildInto(target, context, stage, options);
            }
            catch (ToolException e)
            {
                throw new OsRepoException(target.ToString(), $"the repository build ({options.Builder}) failed: {e.Message}");
            }

            if (!File.Exists(Path.Combine(stage, "repodata", "repomd.xml")))
            {
                throw new OsRepoException(target.ToString(), $"the build of {Path.Combine(context, RpmRepoDockerfile.FileName)} left no repodata/repomd.xml: createrepo_c did not index the packages");
            }
        });

        var rpms = Directory.Exists(Path.Combine(folder, "Packages"))
            ? Directory.GetFiles(Path.Combine(folder, "Packages"), "*.rpm").Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(f => Describe(f!)).ToList()
            : [];
        return new OsRepo(target, folder, rpms);
    }

    /// <summary>name-version-release.arch.rpm, as rpm names its files.</summary>
    internal static OsRepoPackage Describe(string fileName)
    {
        var stem = fileName.EndsWith(".rpm", StringComparison.Ordinal) ? fileName[..^4] : fileName;
        var dot = stem.LastIndexOf('.');
        var architecture = dot > 0 ? stem[(dot + 1)..] : string.Empty;
        var nvr = dot > 0 ? stem[..dot] : stem;
        var release = nvr.LastIndexOf('-');
        var version = release > 0 ? nvr[..release].LastIndexOf('-') : -1;
        return version > 0
            ? new OsRepoPackage(nvr[..version], nvr[(version + 1)..], architecture, $"Packages/{fileName}")
            : new OsRepoPackage(nvr, string.Empty, architecture, $"Packages/{fileName}");
    }

    private void BuildInto(OsTarget target, string context, string output, OsRepoOptions options)
    {
        var file = new FilePath(Path.Combine(context, RpmRepoDockerfile.FileName));
        if (options.Builder == ContainerBuilder.DockerBuildx)
        {
            var settings = options.Docker();
            settings.File = file;
            settings.Platform = target.Platform;
            settings.OutputDirectory = new DirectoryPath(output);
            docker.Build(new DirectoryPath(context), settings);
        }
        else
        {
            var settings = options.Buildah();
            settings.File = file;
            settings.Platform = target.Platform;
            settings.OutputDirectory = new DirectoryPath(output);
            buildah.Bud(new DirectoryPath(context), settings);
        }
    }
}
