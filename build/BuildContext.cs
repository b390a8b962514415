using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Charts;
using Lading.Chat;
using Lading.Images;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Release;
using Lading.Reporting;

namespace Lading;

// The rule of this build: BuildContext holds values; capabilities (Images/, Release/, Packaging/...) hold behaviour;
// BuildLifetime.Setup is the only place that turns settings into objects. Tasks read what is here and call capabilities.

/// <summary>One build's typed settings, the objects Setup made from them, and the summary tasks report to.</summary>
public sealed class BuildContext(ICakeContext context, RecipeSession recipe, SecretMask mask, BuildSummary summary)
    : FrostingContext(context)
{
    private Lazy<ReleaseWorkspace>? _releaseRepo;
    private Lazy<string>? _imageLists;
    private Lazy<ImageServices>? _images;
    private Lazy<PackageBuild>? _packageBuild;
    private Lazy<string>? _kubesprayTree;

    /// <summary>Every resolved setting with its origin; tasks read the typed sections below instead.</summary>
    public BuildSettings Settings => recipe.Settings;

    public SecretMask Mask => mask;

    public BuildSummary Summary => summary;

    public bool IsDryRun => Arguments.HasArgument("dryrun");

    // The typed settings sections, built once from SettingKeys by Setup.
    public BuildPaths Paths { get; internal set; } = null!;

    public ImageSettings Images { get; internal set; } = null!;

    public ReleaseSettings Release { get; internal set; } = null!;

    public PackageSettings Package { get; internal set; } = null!;

    public UploadSettings Upload { get; internal set; } = null!;

    public OfflineSettings Offline { get; internal set; } = null!;

    public KubespraySettings Kubespray { get; internal set; } = null!;

    public ForgeSettings Forge { get; internal set; } = null!;

    public NotifySettings Notify { get; internal set; } = null!;

    // The per-build objects Setup assigns. The release repo, the image services and the package are opened on first use,
    // so a task that fails to open them fails under its own name.

    /// <summary>The release repo: cloned or updated under the work folder, or a working tree used in place.</summary>
    public ReleaseWorkspace ReleaseRepo => (_releaseRepo ?? throw Missing(SettingKeys.ReleaseRepo)).Value;

    public bool HasReleaseRepo => _releaseRepo is not null;

    /// <summary>The Kubespray tree, checked out once per build: a branch is read at one commit by every task.</summary>
    public string KubesprayTree => (_kubesprayTree ?? throw Missing(SettingKeys.Kubespray)).Value;

    /// <summary>Component repositories fetched one tag at a time, cached under the work folder.</summary>
    public ComponentCheckouts Components { get; internal set; } = null!;

    /// <summary>The content store, the registry client, the origin mapping and the source registry of this build.</summary>
    public ImageServices ImageServices => (_images ?? throw new InvalidOperationException("Setup has not run")).Value;

    /// <summary>The package this target builds (its kind comes from the target's tasks), or null when it builds none.</summary>
    public PackageBuild? PackageBuild => _packageBuild?.Value;

    /// <summary>The package tar this build wrote, for Upload and Notify.</summary>
    public string? PackageFile { get; set; }

    /// <summary>The image lists the image tasks read: --images, else generated or release lists, else images/.</summary>
    public string ImageLists => (_imageLists ?? throw new InvalidOperationException("Setup has not run")).Value;

    /// <summary>The files.list DownloadFiles reads: --files, else the generated one, else none.</summary>
    public string? FilesList { get; internal set; }

    /// <summary>What the Release pipeline found and changed, for the proposal and the chat notice.</summary>
    public ReleaseReport ReleaseReport { get; } = new();

    /// <summary>Finds the images charts need (helm template with the release's values, chart lists, annotations).</summary>
    public ChartImageFinder ChartImages { get; internal set; } = null!;

    /// <summary>Fetches what collected charts depend on into their charts/.</summary>
    public DependencyFetcher ChartDependencies { get; internal set; } = null!;

    /// <summary>Proposes a change of the release repo for review (ProposeRelease, ProposeListChanges).</summary>
    public ReleaseProposal Proposal { get; internal set; } = null!;

    /// <summary>True when this build packages Kubespray from the lists tagged in its release repo rather than generated ones.</summary>
    public bool ListsFromTag { get; internal set; }

    /// <summary>True when this build proposes a change after checking images: missing images go into the proposal, which then fails the run.</summary>
    public bool ProposalFollows { get; internal set; }

    /// <summary>The chats the recipe names.</summary>
    public Chats Chats { get; internal set; } = null!;

    /// <summary>Bars on an interactive terminal; a plain line every few seconds in CI logs.</summary>
    public IProgressDisplay Progress { get; internal set; } = null!;

    /// <summary>The task running now, for what it records in the summary.</summary>
    public string CurrentTask { get; internal set; } = string.Empty;

    internal void OpenOnFirstUse(Func<ReleaseWorkspace>? releaseRepo, Func<string> imageLists, Func<ImageServices> images, Func<PackageBuild>? packageBuild)
    {
        _releaseRepo = releaseRepo is null ? null : new Lazy<ReleaseWorkspace>(releaseRepo);
        _imageLists = new Lazy<string>(imageLists);
        _images = new Lazy<ImageServices>(images);
        _packageBuild = packageBuild is null ? null : new Lazy<PackageBuild>(packageBuild);
    }

    internal void OpenKubesprayOnFirstUse(Func<string>? tree) => _kubesprayTree = tree is null ? null : new Lazy<string>(tree);

    /// <summary>Lets another build of the same package go on: its folders are no longer this build's.</summary>
    internal void ReleasePackage()
    {
        if (_packageBuild is { IsValueCreated: true } opened)
        {
            opened.Value.Lock?.Dispose();
        }
    }

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

    private static RecipeException Missing(string key) =>
        new([new RecipeProblem("settings", $"'{key}' has no value, and this task needs it")]);
}
