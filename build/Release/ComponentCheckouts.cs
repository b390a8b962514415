using Cake.Core.IO;
using Path = System.IO.Path;
using Lading.Tools.Git;

namespace Lading.Release;

/// <summary>
/// Component repositories fetched one tag at a time (no history) into a cache under the work folder,
/// shared by ResolveTags (tag messages and dates) and CollectCharts (the chart files).
/// </summary>
public sealed class ComponentCheckouts(GitRunner git, string gitBaseUrl, string cacheFolder)
{
    public string UrlOf(ComponentRepo repo) => gitBaseUrl.TrimEnd('/') + "/" + repo.RepositoryFullName.Trim('/');

    public string FolderOf(ComponentRepo repo) => Path.Combine(cacheFolder, ReleaseWorkspace.FolderName(repo.RepositoryFullName));

    /// <summary>Fetches the tag (when not fetched before) and checks it out; returns the checkout folder.</summary>
    public string CheckOut(ComponentRepo repo, string tag)
    {
        var folder = FolderOf(repo);
        var directory = new DirectoryPath(folder);
        if (Directory.Exists(Path.Combine(folder, ".git")) && git.HasTag(directory, tag))
        {
            git.Checkout(directory, $"refs/tags/{tag}^{{commit}}");
            git.ResetHard(directory, "HEAD");
            return folder;
        }

        Directory.CreateDirectory(folder);
        git.FetchTag(directory, UrlOf(repo), tag);
        return folder;
    }

    /// <summary>Each component at its currentTag, at most <paramref name="concurrency"/> fetched at once; in the order given.</summary>
    public async Task<IReadOnlyList<(ComponentRepo Component, string Folder)>> CheckOutAllAsync(IEnumerable<ComponentRepo> components, int concurrency)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, concurrency));
        return await Task.WhenAll(components.Select(async component =>
        {
            await gate.WaitAsync();
            try
            {
                return (component, await Task.Run(() => CheckOut(component, component.CurrentTag)));
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    public IReadOnlyList<GitRemoteTag> RemoteTags(ComponentRepo repo) => git.LsRemoteTags(UrlOf(repo));

    /// <summary>The tag with its message and date, fetched when needed.</summary>
    public GitTag Describe(ComponentRepo repo, string tag)
    {
        var folder = CheckOut(repo, tag);
        var directory = new DirectoryPath(folder);
        var date = git.TagDate(directory, tag);
        return git.IsAnnotatedTag(directory, tag)
            ? GitTag.WithMessage(tag, git.TagMessage(directory, tag), date)
            : GitTag.Lightweight(tag, date);
    }
}
