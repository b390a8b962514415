using System.Text.RegularExpressions;
using Lading.Images;

namespace Lading.Release;

/// <summary>
/// The release repo's own formats, read and checked together before a release step changes anything: repos/*.yaml,
/// version.yml and images_origin.yaml, as recipes/repos.schema.json, version.schema.json and images-origin.schema.json
/// describe them. Every problem of every file is reported at once, each at file:line:column.
/// </summary>
public sealed partial record ReleaseFiles(IReadOnlyList<ComponentRepoFile> Repos, VersionFile? Versions, OriginMapping? Origin)
{
    /// <param name="root">The release repo's folder.</param>
    /// <param name="needsRepos">repos/ must exist (ResolveTags, CollectCharts).</param>
    /// <param name="needsVersions">version.yml must exist (UpdateVersions).</param>
    public static ReleaseFiles Load(string root, bool needsRepos, bool needsVersions)
    {
        var problems = new List<ReleaseProblem>();
        IReadOnlyList<ComponentRepoFile> repos = [];
        VersionFile? versions = null;
        OriginMapping? origin = null;

        var reposFolder = Path.Combine(root, ReleaseLayout.Repos);
        if (needsRepos || Directory.Exists(reposFolder))
        {
            Collect(() => repos = ComponentRepoFile.LoadFolder(reposFolder), problems);
        }

        var versionFile = Path.Combine(root, VersionFile.FileName);
        if (needsVersions || File.Exists(versionFile))
        {
            Collect(() => versions = VersionFile.Load(versionFile), problems);
        }

        var originFile = Path.Combine(root, ReleaseLayout.OriginFile);
        if (File.Exists(originFile))
        {
            try
            {
                origin = OriginMapping.Load(originFile);
            }
            catch (OriginMappingException e)
            {
                problems.AddRange(e.Problems.Select(Problem));
            }
        }

        return problems.Count > 0 ? throw new ReleaseException(problems) : new ReleaseFiles(repos, versions, origin);
    }

    private static void Collect(Action read, List<ReleaseProblem> problems)
    {
        try
        {
            read();
        }
        catch (ReleaseException e)
        {
            problems.AddRange(e.Problems);
        }
    }

    // The origin mapping says its problems as "file:line:column: message".
    private static ReleaseProblem Problem(string text) =>
        Placed().Match(text) is { Success: true } m
            ? new ReleaseProblem(m.Groups[1].Value, int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value), m.Groups[4].Value)
            : text.Split(": ", 2) is [var file, var message] ? new ReleaseProblem(file, message) : new ReleaseProblem(ReleaseLayout.OriginFile, text);

    [GeneratedRegex(@"^(.+?):(\d+):(\d+): (.*)$", RegexOptions.Singleline)]
    private static partial Regex Placed();
}
