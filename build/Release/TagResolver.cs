using System.Text.RegularExpressions;

namespace Lading.Release;

/// <summary>A git tag as listed: annotated tags carry their message (and date, when known); lightweight tags carry neither.</summary>
public sealed record GitTag(string Name, bool Annotated = false, string? Message = null, DateTimeOffset? Date = null)
{
    public static GitTag Lightweight(string name, DateTimeOffset? date = null) => new(name, false, null, date);

    public static GitTag WithMessage(string name, string message, DateTimeOffset? date = null) => new(name, true, message, date);

    /// <summary>The message's first line, for tables and chat notices.</summary>
    public string? Subject => Message?.Split('\n', 2)[0].TrimEnd('\r');
}

/// <summary>Why a tag on the release line was not chosen.</summary>
public sealed record SkippedTag(GitTag Tag, string Reason);

/// <summary>The outcome of resolving one component's tag: the newest qualifying tag, if any, and every tag set aside with why.</summary>
public sealed record TagResolution(ReleaseLine Line, GitTag? Newest, SemVersion? Version, IReadOnlyList<GitTag> Candidates, IReadOnlyList<SkippedTag> Skipped);

/// <summary>One row of the ResolveTags table: a component, its old and new tag, and why when it did not move.</summary>
public sealed record TagChange(ComponentRepo Repo, string OldTag, string NewTag, DateTimeOffset? Date, string? Subject, string? Note)
{
    public bool Changed => OldTag != NewTag;
}

/// <summary>Picks the newest tag of a release line by SemVer 2.0 precedence; pure, the tags come from the caller.</summary>
public static class TagResolver
{
    /// <param name="tags">Every tag of the component repo.</param>
    /// <param name="baseVersion">The release line, such as v1.2 or controller-v1.14.</param>
    /// <param name="messageRule">When given, only annotated tags whose message matches it qualify.</param>
    public static TagResolution Resolve(IEnumerable<GitTag> tags, string baseVersion, Regex? messageRule = null)
    {
        var line = new ReleaseLine(baseVersion);
        var candidates = new List<(GitTag Tag, SemVersion Version)>();
        var skipped = new List<SkippedTag>();
        foreach (var tag in tags)
        {
            if (!line.Contains(tag.Name))
            {
                continue;
            }

            if (!line.TryReadVersion(tag.Name, out var version))
            {
                skipped.Add(new SkippedTag(tag, $"'{tag.Name[line.Prefix.Length..]}' is not a SemVer 2.0 version"));
                continue;
            }

            if (messageRule is not null && !tag.Annotated)
            {
                skipped.Add(new SkippedTag(tag, "a lightweight tag has no message for the release rule to match"));
                continue;
            }

            if (messageRule is not null && !messageRule.IsMatch(tag.Message ?? string.Empty))
            {
                skipped.Add(new SkippedTag(tag, $"its message does not match the release rule /{messageRule}/"));
                continue;
            }

            candidates.Add((tag, version));
        }

        // Equal precedence (v1.2.0 and v1.2.0+build.7) is settled by the later tag date, then by name, so the choice never wobbles.
        var ordered = candidates
            .OrderByDescending(c => c.Version)
            .ThenByDescending(c => c.Tag.Date ?? DateTimeOffset.MinValue)
            .ThenBy(c => c.Tag.Name, StringComparer.Ordinal)
            .ToList();
        var newest = ordered.Count > 0 ? ordered[0] : default;
        return new TagResolution(line, newest.Tag, newest.Version, ordered.Select(c => c.Tag).ToList(), skipped);
    }

    /// <summary>
    /// The tag a component moves to: the newest of its baseVersion line. A component without baseVersion, or whose line
    /// has no qualifying tag, keeps its currentTag; so does one whose currentTag outranks every qualifying tag (never a downgrade).
    /// </summary>
    public static TagChange ResolveFor(ComponentRepo repo, IEnumerable<GitTag> tags, Regex? messageRule = null)
    {
        var all = tags.ToList();
        var current = all.FirstOrDefault(t => t.Name == repo.CurrentTag);
        if (repo.BaseVersion is null)
        {
            return new TagChange(repo, repo.CurrentTag, repo.CurrentTag, current?.Date, current?.Subject, "no baseVersion: the current tag is kept");
        }

        var resolution = Resolve(all, repo.BaseVersion, messageRule);
        if (resolution.Newest is null)
        {
            var why = resolution.Skipped.Count == 0 ? "no tag" : $"no qualifying tag ({resolution.Skipped.Count} set aside)";
            return new TagChange(repo, repo.CurrentTag, repo.CurrentTag, current?.Date, current?.Subject, $"{why} on release line {repo.BaseVersion}: the current tag is kept");
        }

        if (resolution.Line.TryReadVersion(repo.CurrentTag, out var currentVersion) && currentVersion > resolution.Version!)
        {
            return new TagChange(
                repo, repo.CurrentTag, repo.CurrentTag, current?.Date, current?.Subject,
                $"the newest qualifying tag {resolution.Newest.Name} is older than {repo.CurrentTag}: the current tag is kept");
        }

        return new TagChange(repo, repo.CurrentTag, resolution.Newest.Name, resolution.Newest.Date, resolution.Newest.Subject, null);
    }

    /// <summary>
    /// Resolves every component against its remote tags (git ls-remote), at most <paramref name="concurrency"/> at once,
    /// in the order given.
    /// </summary>
    public static async Task<IReadOnlyList<TagChange>> ResolveAllAsync(ComponentCheckouts components, IEnumerable<ComponentRepo> repos, Regex? messageRule, int concurrency)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, concurrency));
        return await Task.WhenAll(repos.Select(async component =>
        {
            await gate.WaitAsync();
            try
            {
                return await Task.Run(() => ResolveRemote(components, component, messageRule));
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static TagChange ResolveRemote(ComponentCheckouts components, ComponentRepo component, Regex? rule)
    {
        var remote = components.RemoteTags(component).Select(t => new GitTag(t.Name, t.IsAnnotated)).ToList();
        if (component.BaseVersion is null)
        {
            return Described(components, ResolveFor(component, remote, rule));
        }

        if (rule is null)
        {
            return Described(components, ResolveFor(component, remote, null));
        }

        // The rule reads annotated messages, which ls-remote does not give: fetch candidates newest first until one qualifies.
        var line = new ReleaseLine(component.BaseVersion);
        var candidates = remote.Where(t => t.Annotated && line.TryReadVersion(t.Name, out _))
            .OrderByDescending(t => { line.TryReadVersion(t.Name, out var v); return v; })
            .ToList();
        var described = new List<GitTag>();
        foreach (var candidate in candidates)
        {
            var full = components.Describe(component, candidate.Name);
            described.Add(full);
            if (full.Message is not null && rule.IsMatch(full.Message))
            {
                break;
            }
        }

        return Described(components, ResolveFor(component, described.Concat(remote.Where(t => !described.Any(d => d.Name == t.Name))), rule));
    }

    private static TagChange Described(ComponentCheckouts components, TagChange change)
    {
        if (change.Date is not null || change.Subject is not null)
        {
            return change;
        }

        var tag = components.Describe(change.Repo, change.NewTag);
        return change with { Date = tag.Date, Subject = tag.Subject };
    }
}
