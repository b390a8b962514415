using Lading.Images;
using Lading.Kubespray;

namespace Lading.Bootstrap;

/// <summary>
/// Settles the Kubespray package's names with Kubespray's own machinery: its list script runs once as upstream and once
/// with the package's cluster config and site values; an image or file the config does not yet send to where the
/// package stores it gets its own variable and the lists are rendered again. What still does not resolve fails the
/// build, each name said.
/// </summary>
public sealed class KubesprayNameProof(KubesprayListGenerator generator)
{
    private const int MaxPasses = 4;

    /// <summary>Writes the final cluster config into the package and returns the variables it had to add.</summary>
    /// <param name="request">The lists GenerateKubesprayLists made: the tree, architecture and Kubernetes version.</param>
    /// <param name="heldImages">The site names of the package's images.</param>
    /// <param name="runnerImage">The Kubespray runner's site name, which Kubespray itself never pulls.</param>
    public IReadOnlyList<KubesprayOverride> Settle(KubesprayListRequest request, string packageRoot, SiteOptions site, OriginMapping origin, IReadOnlySet<string> heldImages, string? runnerImage, string workFolder)
    {
        var upstream = generator.Render(request, workFolder);
        var registries = KubesprayNames.Registries(upstream).Concat(KubesprayClusterConfig.UpstreamRegistries).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var config = Path.Combine(packageRoot, KubesprayPackageFiles.ClusterConfigFile);
        var siteVariables = Path.Combine(packageRoot, KubesprayPackageFiles.SiteVariablesFile);
        var heldFiles = HeldFiles(Path.Combine(packageRoot, "files"));
        var overrides = new List<KubesprayOverride>();
        var urlVariables = KubesprayTree.Open(request.Tree).UrlVariables();
        for (var pass = 1; ; pass++)
        {
            File.WriteAllText(config, KubesprayClusterConfig.Render(registries, overrides));
            var configured = generator.Render(new KubesprayListRequest(request.Tree, request.Architecture, request.KubeVersion, [siteVariables, config]), workFolder);
            var check = KubesprayNames.Compare(upstream, configured, site.Registry, site.FilesUrl, origin, heldImages, heldFiles, runnerImage, urlVariables, overrides);
            if (check.Resolves)
            {
                return overrides;
            }

            // The variables found go into the config and the lists are rendered again: a base variable set for some
            // images (kube_image_repo) can move others, which then get their own. A variable that does not take is a problem.
            var stale = check.Overrides.Where(o => overrides.Any(set => set.Variable == o.Variable)).ToList();
            if (check.Problems.Count == 0 && stale.Count == 0 && pass < MaxPasses)
            {
                overrides.AddRange(check.Overrides);
                continue;
            }

            var problems = check.Problems.Concat(stale.Select(o => $"{o.Reason}, but Kubespray asks for another name even with {o.Variable} set"))
                .Concat(check.Problems.Count == 0 && stale.Count == 0 ? check.Overrides.Select(o => $"{o.Reason}, and {o.Variable} was still to be set after {MaxPasses} renderings") : []);
            throw new KubesprayException(config, $"Kubespray would not find everything on the site {site.Hostname} with this cluster config:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Select(p => "  " + p))}");
        }
    }

    /// <summary>Every file under the package's files/, as files.list lays them out: &lt;host&gt;/&lt;path&gt;.</summary>
    public static IReadOnlySet<string> HeldFiles(string filesFolder) =>
        Directory.Exists(filesFolder)
            ? Directory.GetFiles(filesFolder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(filesFolder, f).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
}
