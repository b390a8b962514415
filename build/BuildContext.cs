using Cake.Common.Build;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Recipes;
using Lading.Release;
using Lading.Tools.Git;
using Lading.Reporting;
using Spectre.Console;

namespace Lading;

/// <summary>The typed settings of one build and the places tasks report to; <see cref="BuildLifetime"/> checks it.</summary>
public sealed partial class BuildContext(ICakeContext context, RecipeSession recipe, SecretMask mask, BuildSummary summary, IAnsiConsole console)
    : FrostingContext(context)
{
    public BuildSettings Settings => recipe.Settings;

    public SecretMask Mask => mask;

    public BuildSummary Summary => summary;

    public string Target => Arguments.HasArgument("target") ? Arguments.GetArguments("target").Last() : "Default";

    public bool IsDryRun => Arguments.HasArgument("dryrun");

    public bool IsJenkins => this.BuildSystem().IsRunningOnJenkins;

    private ReleaseWorkspace? _releaseRepo;

    /// <summary>The release repo (--release-repo), opened once per build: cloned or updated, or a working tree used in place.</summary>
    public ReleaseWorkspace ReleaseRepo => _releaseRepo ??= ReleaseWorkspace.Open(
        this.Git(),
        Settings.Text(SettingKeys.ReleaseRepo)!,
        Settings.Text(SettingKeys.Branch),
        PathOf(SettingKeys.Work),
        Environment.WorkingDirectory.FullPath,
        Settings.Flag(SettingKeys.AllowDirty));

    /// <summary>Component repositories fetched one tag at a time, cached under the work folder.</summary>
    public ComponentCheckouts Components => new(this.Git(), Settings.Text(SettingKeys.GitBaseUrl) ?? string.Empty, Path.Combine(PathOf(SettingKeys.Work), "components"));

    /// <summary>What the Release pipeline found and changed, for the proposal and the chat notice.</summary>
    public ReleaseReport Release { get; } = new();

    /// <summary>The task running now, for what it records in the summary.</summary>
    public string CurrentTask { get; internal set; } = string.Empty;

    /// <summary>A folder setting made absolute against the working folder (a leading ~ is the home folder).</summary>
    public string PathOf(string key)
    {
        var value = Settings.Text(key) ?? throw new InvalidOperationException($"The setting '{key}' has no value.");
        if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal))
        {
            value = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), value.TrimStart('~', '/'));
        }

        return Path.GetFullPath(value, Environment.WorkingDirectory.FullPath);
    }

    public string OutputFolder => PathOf(SettingKeys.Output);

    /// <summary>Bars on an interactive terminal; a plain line every few seconds in CI logs.</summary>
    public IProgressDisplay Progress =>
        console.Profile.Capabilities.Interactive && !IsJenkins && !Console.IsOutputRedirected
            ? new TerminalProgress(console)
            : new PlainProgress(line => Log.Information(line), TimeSpan.FromSeconds(5));

    /// <summary>Something the current task produced, for the summary.</summary>
    public void Record(string name, string value) => Summary.Output(CurrentTask, name, value);

    /// <summary>For ShouldRun: logs and records why a task is skipped.</summary>
    public bool RunIf(bool condition, string reasonToSkip)
    {
        if (!condition)
        {
            Log.Information("Skipping: {0}", reasonToSkip);
            Summary.SkipReason(reasonToSkip);
        }

        return condition;
    }
}
