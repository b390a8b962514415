namespace Lading.OsRepos;

/// <summary>A package file in a built repository.</summary>
public sealed record OsRepoPackage(string Name, string Version, string Architecture, string File);

/// <summary>A built offline repository of one target: where it is and what it holds.</summary>
public sealed record OsRepo(OsTarget Target, string Folder, IReadOnlyList<OsRepoPackage> Packages)
{
    /// <summary>The sources.list line a machine uses to install from the folder directly (<c>deb [trusted=yes] file:/... ./</c>).</summary>
    public string FileSourceLine => $"deb [trusted=yes] file:{Folder} ./";
}
