using System.Text.RegularExpressions;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Path = System.IO.Path;
using Lading.Images;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Tools.Git;

namespace Lading;

/// <summary>The package a build assembles, opened once and shared by the package tasks.</summary>
public sealed partial class BuildContext
{
    private PackageBuild? _package;

    /// <summary>The package tar AssemblePackage wrote, for Upload and Notify.</summary>
    public string? PackageFile { get; set; }

    /// <summary>Set by the first package task: SyncImages then writes into the package instead of --output.</summary>
    public PackageBuild? Packaging { get; private set; }

    /// <summary>The platform package (or, with a base version, the hotfix) this build makes.</summary>
    public PackageBuild Package(string kind)
    {
        if (_package is not null)
        {
            return _package;
        }

        var repo = ReleaseRepo;
        var git = this.Git();
        var version = Settings.Text(SettingKeys.Version);
        var customer = repo.Branch is { } branch && Regex.Match(branch, @"^release-\d+\.\d+/(?<customer>[A-Za-z0-9._-]+)$") is { Success: true } oem
            ? oem.Groups["customer"].Value
            : null;
        var name = customer is null ? Settings.Text(SettingKeys.Name)! : $"{Settings.Text(SettingKeys.Name)}-{customer}";
        string? commit = null;
        var source = repo.Root;
        if (repo.GitTopLevel is not null)
        {
            commit = git.TryRevParse(repo.Directory, version is null ? "HEAD" : $"refs/tags/{version}")
                ?? throw new PackageException($"{repo.Source}: there is no tag {version}; a package is built from a release tag (or, without --version, from the branch head)");
            if (version is not null)
            {
                source = Export(git, repo.GitTopLevel, Path.GetRelativePath(repo.GitTopLevel, repo.Root), version);
            }
        }

        version ??= commit is null ? "head" : $"head-{commit[..8]}";
        var full = kind == "hotfix" ? $"{name}-{version}-hotfix" : $"{name}-{version}";
        _package = new PackageBuild
        {
            Name = name,
            Version = version,
            Kind = kind,
            BaseVersion = kind == "hotfix" ? Settings.Text(SettingKeys.BaseVersion) : null,
            Customer = customer,
            Commit = commit,
            Source = source,
            Staging = Path.Combine(PathOf(SettingKeys.Work), "package", full, full),
        };
        Packaging = _package;
        return _package;
    }

    /// <summary>A package made from lists rather than a release repo: offline-resources or kubespray.</summary>
    public PackageBuild ListPackage(string kind)
    {
        if (_package is not null)
        {
            return _package;
        }

        var version = Settings.Text(SettingKeys.Version) ?? DateTimeOffset.UtcNow.ToString("yyyyMMdd");
        var name = Settings.Text(SettingKeys.Name)!;
        var full = $"{name}-{kind}-{version}";
        _package = new PackageBuild
        {
            Name = name,
            Version = version,
            Kind = kind,
            Source = Environment.WorkingDirectory.FullPath,
            ImageLists = ImageListsPath,
            Staging = Path.Combine(PathOf(SettingKeys.Work), "package", full, full),
        };
        Packaging = _package;
        if (Directory.Exists(_package.Staging))
        {
            // A re-run assembles afresh; downloads and images come back from the caches.
            Directory.Delete(_package.Staging, recursive: true);
        }

        Directory.CreateDirectory(_package.Staging);
        return _package;
    }

    /// <summary>The release repo's files at a tag, exported fresh (a killed export is redone, never half used).</summary>
    private string Export(GitRunner git, string topLevel, string relative, string version)
    {
        var target = Path.Combine(PathOf(SettingKeys.Work), "package-source", version);
        var partial = target + ".partial";
        foreach (var folder in new[] { target, partial }.Where(f => Directory.Exists(f)))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(partial);
        var tar = partial + ".tar";
        var treeish = relative is "." or "" ? $"refs/tags/{version}" : $"refs/tags/{version}:{relative.Replace('\\', '/')}";
        git.Archive(new DirectoryPath(topLevel), treeish, new FilePath(tar));
        SafeTarExtractor.ExtractFileAsync(tar, partial, CancellationToken.None).GetAwaiter().GetResult();
        File.Delete(tar);
        Directory.Move(partial, target);
        Log.Verbose("Exported {0} at {1} to {2}", relative, version, target);
        return target;
    }

    /// <summary>Logs and records the package written, for Upload, Notify and the summary.</summary>
    public void RecordPackage(WrittenPackage written)
    {
        Log.Information("{0}: {1} ({2} files, {3} hard links), sha256 {4}", written.Tar, Lading.Reporting.PlainProgress.Bytes(written.Size), written.Tarred.Files, written.Tarred.HardLinks, written.Sha256);
        PackageFile = written.Tar;
        Record("package", written.Tar);
        Record("size", written.Size.ToString());
        Record("sha256", written.Sha256);
    }

    /// <summary>Posts a notice to every chat the recipe names; a chat that fails is a warning, never a failed build.</summary>
    public async Task NotifyAsync(Lading.Notify.ReleaseNotice notice)
    {
        var hooks = new List<Lading.Notify.Webhook>();
        foreach (var target in Settings.Notifications)
        {
            if (Environment.GetEnvironmentVariable(target.UrlEnv) is { Length: > 0 } url)
            {
                hooks.Add(Lading.Notify.Webhook.From(target.Kind, url, target.UrlEnv));
            }
            else
            {
                Log.Warning("{0} notice skipped: {1} is not set ({2})", target.Kind, target.UrlEnv, target.Location);
            }
        }

        if (hooks.Count == 0)
        {
            return;
        }

        using var notifier = new Lading.Notify.Notifier();
        var report = await notifier.NotifyAsync(notice, hooks, CancellationToken.None);
        foreach (var warning in report.Warnings)
        {
            Log.Warning(warning);
        }

        Record("notified", $"{report.Deliveries.Count(d => d.Delivered)} of {hooks.Count} chat(s)");
    }
}
