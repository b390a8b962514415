namespace Lading.OsRepos;

/// <summary>What building a target's repository will do, for a dry run and the log.</summary>
public sealed record OsRepoPlan(OsTarget Target, IReadOnlyList<OsPackage> Packages, string Folder, string Method)
{
    public override string ToString() =>
        $"{Target}: {Packages.Count} package{(Packages.Count == 1 ? string.Empty : "s")} ({string.Join(' ', Packages)}) with their dependencies -> {Folder}, by {Method}";
}

/// <summary>The offline repository of any target: apt natively for Debian and Ubuntu, a Dockerfile build for rpm distributions.</summary>
public sealed class OsRepoBuilder(AptRepoBuilder apt, RpmRepoBuilder rpm)
{
    /// <summary>What <see cref="Build"/> would do, checking the list against the target and every name, without running anything.</summary>
    public static OsRepoPlan Plan(OsTarget target, OsPackageList list, OsRepoOptions options)
    {
        target.Validate();
        if (list.Distro != target.Distro || list.Release != target.Release)
        {
            throw new OsRepoException(list.Source, $"this list is for {list.Distro}-{list.Release}, not for the target {target}");
        }

        OsPackageList.Validate(list.Packages, target.Family);
        var method = target.Family == PackageFamily.Deb
            ? $"apt in an isolated root from {string.Join(", ", target.AptSources.Select(s => $"{s.Uri} {s.Suite}"))}"
            : $"{(options.Builder == ContainerBuilder.Buildah ? "buildah bud" : "docker buildx build")} FROM {target.RpmBaseImage}";
        return new OsRepoPlan(target, list.Packages, Path.Combine(options.Repositories, target.RepositoryPath), method);
    }

    public OsRepo Build(OsTarget target, OsPackageList list, OsRepoOptions options, CancellationToken cancellationToken = default)
    {
        Plan(target, list, options);
        return target.Family == PackageFamily.Deb
            ? apt.Build(target, list.Packages, options, cancellationToken)
            : rpm.Build(target, list.Packages, options, cancellationToken);
    }
}
