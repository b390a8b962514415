using System.Text.RegularExpressions;
using Lading.Files;
using Lading.Images;

namespace Lading.Kubespray;

/// <summary>One variable the cluster config sets so Kubespray asks the site for an image or a file by the name it is stored under.</summary>
public sealed record KubesprayOverride(string Variable, string Value, string Reason);

/// <summary>What comparing Kubespray's lists with the package found: variables that would fix a name, and names nothing fixes.</summary>
public sealed record KubesprayNameCheck(IReadOnlyList<KubesprayOverride> Overrides, IReadOnlyList<string> Problems)
{
    public bool Resolves => Overrides.Count == 0 && Problems.Count == 0;
}

/// <summary>
/// The proof that every name resolves: Kubespray's lists rendered as upstream (no config) and with the package's cluster
/// config, entry by entry (the same templates, in the same order). Each image Kubespray would pull with the config must
/// be <c>&lt;site registry&gt;/&lt;the name the package stores it under&gt;</c>, each file <c>&lt;files_repo&gt;/&lt;host&gt;/&lt;path&gt;</c>
/// as the package lays it out, and the package must hold exactly those (its Kubespray runner image aside). Pure.
/// </summary>
public static partial class KubesprayNames
{
    public static KubesprayNameCheck Compare(
        KubesprayRendering upstream,
        KubesprayRendering configured,
        string registry,
        string filesUrl,
        OriginMapping origin,
        IReadOnlySet<string> heldImages,
        IReadOnlySet<string> heldFiles,
        string? runnerImage = null,
        IReadOnlyDictionary<string, string>? urlVariables = null,
        IReadOnlyCollection<KubesprayOverride>? applied = null)
    {
        var problems = new List<string>();
        var overrides = new Dictionary<string, KubesprayOverride>(StringComparer.Ordinal);
        void Override(KubesprayOverride wanted, string upstreamName)
        {
            if (overrides.TryGetValue(wanted.Variable, out var other) && other.Value != wanted.Value)
            {
                problems.Add($"{upstreamName}: {wanted.Variable} would have to be both '{other.Value}' and '{wanted.Value}'");
                return;
            }

            overrides[wanted.Variable] = wanted;
        }

        var expectedImages = new HashSet<string>(StringComparer.Ordinal);
        if (upstream.Images.Count != configured.Images.Count)
        {
            problems.Add($"images: Kubespray lists {upstream.Images.Count} image(s) upstream but {configured.Images.Count} with the cluster config");
        }
        else
        {
            for (var i = 0; i < upstream.Images.Count; i++)
            {
                var upstreamName = upstream.Images[i].Value;
                if (!ImageReference.TryParse(upstreamName, out var reference, out var reason))
                {
                    problems.Add($"{upstreamName}: not an image reference ({reason})");
                    continue;
                }

                var stored = origin.SiteNameOf(reference);
                expectedImages.Add(stored.SiteName);
                if (!heldImages.Contains(stored.SiteName))
                {
                    problems.Add($"{upstreamName}: the package does not hold it (as {stored.SiteName})");
                }

                var expected = $"{registry}/{stored.SiteName}";
                var pulled = configured.Images[i].Value;
                if (SameImage(pulled, expected))
                {
                    continue;
                }

                var template = upstream.Images[i].Template;
                if (ImageRepoVariable(template) is { } variable)
                {
                    Override(new KubesprayOverride(variable, $"{{{{ registry_host }}}}/{stored.Repository}", $"{upstreamName} is stored as {stored.SiteName}"), upstreamName);
                }
                else if (template is not null && BaseRepoTemplate().Match(template) is { Success: true } line
                    && (stored.Repository == line.Groups["path"].Value || stored.Repository.EndsWith("/" + line.Groups["path"].Value, StringComparison.Ordinal)))
                {
                    // The base variable is set so that it plus the line's own path is the stored name (library/ for a one-part name).
                    var prefix = stored.Repository[..^line.Groups["path"].Value.Length].TrimEnd('/');
                    Override(new KubesprayOverride(line.Groups["base"].Value, prefix.Length == 0 ? "{{ registry_host }}" : $"{{{{ registry_host }}}}/{prefix}", $"{upstreamName} is stored as {stored.SiteName}"), upstreamName);
                }
                else
                {
                    problems.Add($"{upstreamName}: Kubespray would pull {pulled}, but the site serves it as {expected}, and its template '{template}' names no *_image_repo variable that could be changed for it");
                }
            }
        }

        var expectedFiles = new HashSet<string>(StringComparer.Ordinal);
        if (upstream.Files.Count != configured.Files.Count)
        {
            problems.Add($"files: Kubespray lists {upstream.Files.Count} file(s) upstream but {configured.Files.Count} with the cluster config");
        }
        else
        {
            for (var i = 0; i < upstream.Files.Count; i++)
            {
                var url = upstream.Files[i].Value;
                if (!FileLayout.TryRelativePath(url, out _, out var relative, out var why))
                {
                    problems.Add($"{url}: {why}");
                    continue;
                }

                expectedFiles.Add(relative);
                if (!heldFiles.Contains(relative))
                {
                    problems.Add($"{url}: the package does not hold it (as files/{relative})");
                }

                var expected = $"{filesUrl}/{relative}";
                var fetched = configured.Files[i].Value;
                if (fetched == expected)
                {
                    continue;
                }

                // Kubespray's files template holds each URL's definition, so only the base variable it starts with can move it.
                var template = upstream.Files[i].Template;
                if (template is not null && FileBaseTemplate().Match(template) is { Success: true } line
                    && line.Groups["rest"].Value.Split("{{")[0] is { Length: > 1 } literal
                    && url.IndexOf(literal, url.IndexOf("://", StringComparison.Ordinal) + 3, StringComparison.Ordinal) is var at and > 0
                    && relative.EndsWith(url[at..], StringComparison.Ordinal))
                {
                    var prefix = relative[..^url[at..].Length];
                    Override(new KubesprayOverride(line.Groups["base"].Value, $"{{{{ files_repo }}}}/{prefix}", $"{url} is stored as files/{relative}"), url);
                }
                // Before v2.25 Kubespray writes its URLs out in full: the *_download_url variable holding one is set itself.
                // The list script copies the URL's text, not the variable, so no rendering shows the change: the value set
                // is the same template under files_repo, which renders to files_repo/<host>/<path>, the name the site serves.
                else if (template is not null && urlVariables?.GetValueOrDefault(template) is { } variable
                    && template.IndexOf("://", StringComparison.Ordinal) is var scheme and > 0
                    && url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] == relative)
                {
                    var value = $"{{{{ files_repo }}}}/{template[(scheme + 3)..]}";
                    if (applied?.Any(o => o.Variable == variable && o.Value == value) != true)
                    {
                        Override(new KubesprayOverride(variable, value, $"{url} is stored as files/{relative}"), url);
                    }
                }
                else
                {
                    problems.Add($"{url}: Kubespray would fetch {fetched}, but the site serves it as {expected}, and neither a base variable nor a *_download_url variable of the download variables holds its template '{template}'");
                }
            }
        }

        foreach (var image in heldImages.Where(i => !expectedImages.Contains(i) && i != runnerImage).Order(StringComparer.Ordinal))
        {
            problems.Add($"{image}: the package holds it, but Kubespray does not pull it");
        }

        foreach (var file in heldFiles.Where(f => !expectedFiles.Contains(f)).Order(StringComparer.Ordinal))
        {
            problems.Add($"files/{file}: the package holds it, but Kubespray does not fetch it");
        }

        return new KubesprayNameCheck(overrides.Values.ToList(), problems);
    }

    /// <summary>The registries Kubespray's images come from, which the nodes' containerd mirrors to the site.</summary>
    public static IReadOnlyList<string> Registries(KubesprayRendering upstream) =>
        upstream.Images.Select(i => ImageReference.TryParse(i.Value, out var reference, out _) ? reference.Registry : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The variable an images.list template line names the repository with: <c>{{coredns_image_repo}}:{{coredns_image_tag}}</c>.</summary>
    public static string? ImageRepoVariable(string? template) =>
        template is not null && ImageRepoTemplate().Match(template) is { Success: true } match ? match.Groups["variable"].Value : null;

    private static bool SameImage(string a, string b) =>
        ImageReference.TryParse(a, out var left, out _) && ImageReference.TryParse(b, out var right, out _) && left.ToString() == right.ToString();

    [GeneratedRegex(@"^\{\{\s*(?<variable>[a-z0-9_]+_image_repo)\s*\}\}:")]
    private static partial Regex ImageRepoTemplate();

    // A line naming its repository as a base variable and a path of its own: {{ kube_image_repo }}/kube-apiserver:v{{ kube_version }}.
    [GeneratedRegex(@"^\{\{\s*(?<base>[a-z0-9_]+_image_repo)\s*\}\}/(?<path>[a-z0-9._/-]+):")]
    private static partial Regex BaseRepoTemplate();

    // A file's URL template starting with a base variable: {{ dl_k8s_io_url }}/release/v{{ kube_version }}/...
    [GeneratedRegex(@"^\{\{\s*(?<base>[a-z0-9_]+_url)\s*\}\}(?<rest>/.*)$")]
    private static partial Regex FileBaseTemplate();
}
