using System.Text.RegularExpressions;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Recipes;
using Lading.Release;

namespace Lading.Tasks.Release;

[TaskName(nameof(ResolveTags))]
[TaskDescription("Finds each component's newest tag on its baseVersion line (git ls-remote, no clone) and writes it to repos/*.yaml")]
[Needs(SettingKeys.ReleaseRepo)]
[Needs(SettingKeys.GitBaseUrl)]
public sealed class ResolveTags : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    public override async Task RunAsync(BuildContext context)
    {
        var repo = context.ReleaseRepo;
        var files = ComponentRepoFile.LoadFolder(repo.PathOf("repos"));
        var shared = ComponentRepoFile.SharedAddonFolders(files.SelectMany(f => f.Repos)).ToList();
        if (shared.Count > 0)
        {
            throw new ReleaseException(shared);
        }

        var rule = context.Settings.Text(SettingKeys.TagMessagePattern) is { } pattern ? new Regex(pattern, RegexOptions.Multiline) : null;
        var components = context.Components;
        using var gate = new SemaphoreSlim(context.Settings.Number(SettingKeys.Concurrency));
        var changes = await Task.WhenAll(files.SelectMany(f => f.Repos).Select(async component =>
        {
            await gate.WaitAsync();
            try
            {
                return await Task.Run(() => Resolve(components, component, rule));
            }
            finally
            {
                gate.Release();
            }
        }));

        context.Release.Tags.AddRange(changes);
        context.Log.Information("{0}", context.Release.TagTable());
        context.Record("tags", context.Release.TagTable());
        context.Record("changed", changes.Count(c => c.Changed).ToString());

        foreach (var file in files)
        {
            var updated = file;
            foreach (var change in changes.Where(c => c.Changed && c.Repo.File == file.Path))
            {
                updated = updated.WithCurrentTag(change.Repo, change.NewTag);
            }

            if (updated.Text == file.Text)
            {
                continue;
            }

            if (context.IsDryRun)
            {
                context.Log.Information("[dry run] would update {0}", Path.GetRelativePath(repo.Root, file.Path));
            }
            else
            {
                await updated.SaveAsync();
            }
        }
    }

    private static TagChange Resolve(ComponentCheckouts components, ComponentRepo component, Regex? rule)
    {
        var remote = components.RemoteTags(component).Select(t => new GitTag(t.Name, t.IsAnnotated)).ToList();
        if (component.BaseVersion is null)
        {
            return Described(components, TagResolver.ResolveFor(component, remote, rule));
        }

        if (rule is null)
        {
            return Described(components, TagResolver.ResolveFor(component, remote, null));
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

        return Described(components, TagResolver.ResolveFor(component, described.Concat(remote.Where(t => !described.Any(d => d.Name == t.Name))), rule));
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
