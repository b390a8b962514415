using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Cake.Core.IO;
using Path = System.IO.Path;
using Lading.Tools;
using Lading.Tools.Git;

namespace Lading.Kubespray;

/// <summary>
/// Where the Kubespray tree comes from: a local folder as it is, or a repository (URL or local clone) at a ref (a tag
/// such as v2.26.0, a branch such as release-2.26, or a full commit id) fetched into the work folder.
/// </summary>
public sealed partial class KubesprayCheckout(GitRunner git)
{
    /// <summary>The commit the last <see cref="Resolve"/> checked out; null for a local folder.</summary>
    public string? Commit { get; private set; }

    /// <summary>What the last ref resolved turned out to be.</summary>
    public GitRefKind? Kind { get; private set; }

    /// <summary>The tree's folder: <paramref name="source"/> itself when no ref is given, else a shallow checkout of the ref under <paramref name="workFolder"/>.</summary>
    public string Resolve(string source, string? @ref, string workFolder)
    {
        if (string.IsNullOrWhiteSpace(@ref))
        {
            if (Directory.Exists(source))
            {
                return Path.GetFullPath(source);
            }

            throw new KubesprayException("--kubespray", $"'{source}' is not a local folder; a git URL needs --kubespray-ref=<tag, branch or commit>.");
        }

        if (!SafeRef().IsMatch(@ref) || @ref.Contains("..", StringComparison.Ordinal))
        {
            throw new KubesprayException("--kubespray-ref", $"'{@ref}' is not a ref name git accepts.");
        }

        var url = Directory.Exists(source) ? Path.GetFullPath(source) : source;
        var folder = Path.Combine(Path.GetFullPath(workFolder), FolderName(url, @ref));
        var existed = Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        GitRefKind kind;
        try
        {
            try
            {
                kind = git.FetchRef(new DirectoryPath(folder), url, @ref);
            }
            catch (ToolException) when (existed)
            {
                // A checkout a killed run left locked or half-fetched is made again, once.
                Directory.Delete(folder, recursive: true);
                Directory.CreateDirectory(folder);
                kind = git.FetchRef(new DirectoryPath(folder), url, @ref);
            }
        }
        catch (ToolException e)
        {
            throw new KubesprayException($"{url}@{@ref}", $"no tag, branch or commit '{@ref}' could be fetched:{Environment.NewLine}{e.Output.Trim()}", e);
        }

        // A branch moves: which commit was used is said, so the lists can be traced to it.
        Commit = git.RevParse(new DirectoryPath(folder), "HEAD");
        Kind = kind;
        return folder;
    }

    /// <summary>One folder per source and ref, so two sources with the same ref never share a checkout.</summary>
    public static string FolderName(string url, string @ref)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..12];
        return $"kubespray-{NotFolderSafe().Replace(@ref, "-")}-{hash}";
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/+-]*$")]
    private static partial Regex SafeRef();

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex NotFolderSafe();
}
