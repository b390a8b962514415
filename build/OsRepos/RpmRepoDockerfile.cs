using System.Text;

namespace Lading.OsRepos;

/// <summary>
/// The Dockerfile that builds an rpm distribution's offline repository: dnf, inside the distribution's own image,
/// downloads the list with every dependency as for an empty machine (<c>--resolve --alldeps</c>), createrepo_c
/// indexes it, and the last stage holds only the repository (Packages/, repodata/) for a local output.
/// </summary>
public static class RpmRepoDockerfile
{
    public const string FileName = "Dockerfile";

    /// <summary>The .repo file (copied into the image) of the target's extra repositories.</summary>
    public const string RepoFileName = "lading.repo";

    /// <exception cref="OsRepoException">A package or the target would not be safe to write into the Dockerfile.</exception>
    public static string Render(OsTarget target, IReadOnlyList<OsPackage> packages)
    {
        target.Validate();
        OsPackageList.Validate(packages, PackageFamily.Rpm);
        if (packages.Count == 0)
        {
            throw new OsRepoException(target.ToString(), "the package list is empty");
        }

        var text = new StringBuilder();
        text.Append($"# The offline rpm repository of {target}; written by Lading from the package list, do not edit.\n");
        text.Append($"FROM {target.RpmBaseImage} AS download\n");
        if (target.RpmRepositories.Count > 0)
        {
            text.Append($"COPY {RepoFileName} /etc/yum.repos.d/{RepoFileName}\n");
        }

        text.Append("RUN dnf install --assumeyes dnf-plugins-core createrepo_c && dnf clean all\n");
        text.Append("WORKDIR /repo/Packages\n");

        // --alldeps: resolve against an empty machine, not against what the image happens to have installed.
        text.Append($"RUN dnf download --resolve --alldeps --arch={target.RpmArchitecture},noarch --destdir /repo/Packages \\\n");
        text.Append(string.Join(" \\\n", packages.Select(p => $"      {p.DnfRequest}")));
        text.Append('\n');
        text.Append("RUN createrepo_c /repo\n");
        text.Append("FROM scratch\n");
        text.Append("COPY --from=download /repo/ /\n");
        return text.ToString();
    }

    /// <summary>The .repo file of the target's extra repositories, or null when it has none.</summary>
    public static string? RenderRepoFile(OsTarget target)
    {
        if (target.RpmRepositories.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var repository in target.RpmRepositories)
        {
            text.Append($"[{repository.Id}]\n");
            text.Append($"name={repository.Id}\n");
            text.Append($"baseurl={repository.BaseUrl.AbsoluteUri}\n");
            text.Append("enabled=1\n");
            text.Append(repository.GpgKey is { } key ? $"gpgcheck=1\ngpgkey={key.AbsoluteUri}\n" : "gpgcheck=0\n");
            text.Append('\n');
        }

        return text.ToString();
    }
}
