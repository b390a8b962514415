using System.Reflection;
using Cake.Common.Build;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Charts;
using Lading.Chat;
using Lading.Forge;
using Lading.Images;
using Lading.Images.Registry;
using Lading.Kubespray;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Release;
using Lading.Reporting;
using Lading.Tools.Git;
using Lading.Tools.Helm;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Lading;

/// <summary>
/// Before the first task: checks that every setting the chosen tasks need is there, then turns the settings into the
/// typed sections and the objects tasks use (the only place that does). At the end: writes the summary.
/// </summary>
public sealed class BuildLifetime(IServiceProvider services) : FrostingLifetime<BuildContext>, IRefusedRunObserver
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
        context.Summary.Target = info.TargetTask.Name;
        context.Summary.DryRun = context.IsDryRun;
        context.Summary.Recipe = context.Settings.Recipe?.Path;
        context.Summary.LadingVersion = LadingVersion;
        context.Summary.Settings = context.Settings.Origins();
        context.Summary.Start(context.Settings.OutputFolder(context.Environment.WorkingDirectory.FullPath), text => SafeText.Clean(context.Mask.Apply(text)));
        var byName = services.GetServices<IFrostingTask>().ToDictionary(t => TaskNameOf(t.GetType()), t => t.GetType(), StringComparer.OrdinalIgnoreCase);
        // Cake lists the target's dependencies even when --exclusive leaves them out; only what runs needs its settings.
        var running = context.Arguments.GetArguments("exclusive").LastOrDefault() == "true" ? [info.TargetTask] : info.TasksToExecute;
        var tasks = running.Where(t => byName.ContainsKey(t.Name)).Select(t => byName[t.Name]).ToList();
        var missing = context.Settings.Missing(tasks.SelectMany(t => t.GetCustomAttributes<NeedsAttribute>().Select(n => (n.Key, TaskNameOf(t)))));
        if (missing.Count > 0)
        {
            throw new RecipeException(missing);
        }

        if (context.Settings.Recipe is { } recipe)
        {
            context.Log.Information("Recipe: {0}", recipe.Path);
        }

        foreach (var setting in SettingKeys.All.Where(s => context.Settings.Has(s.Key)))
        {
            context.Log.Verbose("  {0} = {1} ({2})", setting.Key, context.Settings.Text(setting.Key)!, context.Settings.OriginOf(setting.Key));
        }

        var settings = context.Settings;
        var paths = context.Paths = BuildPaths.From(settings, context.Environment.WorkingDirectory.FullPath);
        context.Images = ImageSettings.From(settings, paths);
        context.Release = ReleaseSettings.From(settings);
        context.Package = PackageSettings.From(settings, paths);
        context.Upload = UploadSettings.From(settings);
        context.Offline = OfflineSettings.From(settings, paths);
        context.Kubespray = KubespraySettings.From(settings, paths);
        context.Forge = ForgeSettings.From(settings);
        context.Notify = NotifySettings.From(settings);

        var git = context.Git();
        var release = context.Release;
        context.Components = new ComponentCheckouts(git, release.GitBaseUrl ?? string.Empty, Path.Combine(paths.Work, "components"), line => context.Log.Warning("{0}", line));
        context.Chats = new Chats(context.Notify.Chats);
        context.ChartImages = new ChartImageFinder(context.Helm(), new HelmSettings { ToolPath = release.Helm });
        context.ChartDependencies = new DependencyFetcher(context.Helm(), new HelmSettings { ToolPath = release.Helm }, line => context.Log.Warning("{0}", line));
        context.Progress = ProgressFor(context);
        var forge = context.Forge;
        context.Proposal = new ReleaseProposal(
            git,
            () => Forges.Create(forge.Kind, new ForgeConnection(forge.Url is null ? null : new Uri(forge.Url), forge.Token ?? string.Empty, forge.TokenVariable)),
            forge.Project ?? string.Empty,
            context.Chats,
            context.IsDryRun,
            line => context.Log.Information("{0}", line),
            line => context.Log.Warning("{0}", line));

        Func<ReleaseWorkspace>? openRepo = release.Repo is { } repo
            ? () => ReleaseWorkspace.Open(git, repo, release.Branch, paths.Work, paths.WorkingDirectory, release.AllowDirty, line => context.Log.Warning("{0}", line))
            : null;

        // A Kubespray package from a release repo is built from the lists tagged there, written where generated ones would be.
        var kind = OpensPackageAttribute.KindOf(tasks);
        context.ListsFromTag = kind == PackageKind.Kubespray && release.Repo is not null && tasks.Contains(typeof(Tasks.Kubespray.TaggedKubesprayLists));

        // Lists come from --images, else from the lists this run generates (or takes from a tag), else from the release repo, else images/.
        var generated = (tasks.Contains(typeof(Tasks.Kubespray.GenerateKubesprayLists)) || context.ListsFromTag) && !context.IsDryRun ? paths.Output : null;
        context.FilesList = context.Offline.Files ?? (generated is null ? null : Path.Combine(generated, KubesprayLists.FilesName));
        Func<string> imageLists = () => context.Images.Lists
            ?? (generated is null ? null : Path.Combine(generated, KubesprayLists.ImagesName))
            ?? (context.HasReleaseRepo ? context.ReleaseRepo.PathOf(ReleaseLayout.Images) : null)
            ?? paths.Absolute(ImageSettings.DefaultLists);

        context.ProposalFollows = release.Repo is not null && tasks.Any(t => t == typeof(Tasks.Release.ProposeRelease) || t == typeof(Tasks.Kubespray.ProposeListChanges));
        context.OpenOnFirstUse(openRepo, imageLists, () => OpenImageServices(context), kind is { } k ? () => OpenPackage(context, k) : null);
        context.OpenKubesprayOnFirstUse(context.Kubespray.Source is null ? null : () => OpenKubespray(context));
    }

    /// <summary>The Kubespray tree at its ref; where the ref is a branch or a tag, the commit it was is said and recorded.</summary>
    private static string OpenKubespray(BuildContext context)
    {
        var kubespray = context.Kubespray;
        var checkout = new KubesprayCheckout(context.Git());
        var tree = checkout.Resolve(kubespray.Source!, kubespray.Ref, Path.Combine(context.Paths.Work, "kubespray"));
        if (checkout.Commit is { } commit)
        {
            context.Log.Information("Kubespray {0} ({1}) at commit {2}", kubespray.Ref!, checkout.Kind.ToString()!.ToLowerInvariant(), commit);
            context.Record("kubespray commit", commit);
        }

        return tree;
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        context.ReleasePackage();
        var folder = context.Paths?.Output ?? context.Settings.OutputFolder(context.Environment.WorkingDirectory.FullPath);
        context.Summary.Write(folder, info.Successful, info.ThrownException?.Message, text => SafeText.Clean(context.Mask.Apply(text)));
        context.Log.Information("Summary: {0}", Path.Combine(folder, BuildSummary.MarkdownFile));
    }

    /// <summary>A run refused before Setup (an unknown option or target, a bad recipe) still leaves a summary saying why.</summary>
    public void Refused(string target, string reason)
    {
        var summary = services.GetRequiredService<BuildSummary>();
        var session = services.GetRequiredService<RecipeSession>();
        var arguments = services.GetRequiredService<ICakeArguments>();
        var working = services.GetRequiredService<ICakeEnvironment>().WorkingDirectory.FullPath;
        summary.Target = target;
        summary.DryRun = arguments.HasArgument("dryrun");
        summary.LadingVersion = LadingVersion;
        summary.Recipe = session.TryResolve() is { } settings ? settings.Recipe?.Path : arguments.GetArguments(RecipeSession.RecipeArgument).LastOrDefault();
        summary.Settings = session.TryResolve()?.Origins() ?? [];
        var folder = session.OutputFolder(working);
        var mask = services.GetRequiredService<SecretMask>();
        summary.Write(folder, succeeded: false, reason, text => SafeText.Clean(mask.Apply(text)));
        services.GetRequiredService<ICakeLog>().Information("Summary: {0}", Path.Combine(folder, BuildSummary.MarkdownFile));
    }

    /// <summary>Lading's version with the commit it was built from, when the build recorded one.</summary>
    private static string LadingVersion =>
        typeof(BuildLifetime).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BuildLifetime).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    private static ImageServices OpenImageServices(BuildContext context)
    {
        var images = context.Images;
        var origin = images.Origin is { } given ? OriginMapping.Load(given)
            : context.HasReleaseRepo && File.Exists(context.ReleaseRepo.PathOf(ReleaseLayout.OriginFile)) ? OriginMapping.Load(context.ReleaseRepo.PathOf(ReleaseLayout.OriginFile))
            : OriginMapping.Empty;
        var client = new RegistryClient(new RegistryClientOptions
        {
            Credentials = ImageServices.Credentials(images.User, images.Password, [images.InternalRegistry, images.SourceRegistry], DockerConfigCredentials.DefaultPath()),
            MaxConcurrencyPerRegistry = images.Concurrency,
            InsecureRegistries = images.InsecureRegistries,
            Log = line => context.Log.Verbose("{0}", line),
        });
        return new ImageServices(new ContentStore(context.Paths.Cache, line => context.Log.Warning("{0}", line)) { MaxBlobSize = images.MaxBlobSize }, client, origin, ImagePlan.ParseSourceRegistry(images.SourceRegistry), images.Platforms, images.Concurrency);
    }

    /// <summary>Opens the package this target builds: from the release repo at its tag, or, for lists, in a fresh folder.</summary>
    private static PackageBuild OpenPackage(BuildContext context, PackageKind kind)
    {
        var package = context.Package;
        var work = context.Paths.Work;
        if (kind is PackageKind.Platform or PackageKind.Hotfix)
        {
            var repo = context.ReleaseRepo;
            var commit = repo.CommitOf(package.Version);
            var identity = PackageIdentity.OfRelease(package.Name, kind, package.Version, repo.Branch, commit);
            var held = LockPackage(context, identity);
            var source = repo.FilesAt(package.Version, work, identity.FullName);
            return new PackageBuild
            {
                Lock = held,
                Identity = identity,
                Time = commit is null ? null : repo.CommitTime(commit),
                BaseVersion = kind == PackageKind.Hotfix ? package.BaseVersion : null,
                Commit = commit,
                Source = source,
                ImageLists = Path.Combine(source, ReleaseLayout.Images),
                Staging = PackageBuild.StagingFor(identity, work),
            };
        }

        var lists = PackageIdentity.OfLists(package.Name, kind, package.Version, DateTimeOffset.UtcNow);
        var build = new PackageBuild
        {
            Lock = LockPackage(context, lists),
            Identity = lists,
            // No commit to take a time from: the day of the build, which also names the package unless a version is given.
            Time = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero),
            Source = context.Paths.WorkingDirectory,
            ImageLists = context.ImageLists,
            Staging = PackageBuild.StagingFor(lists, work),
        };

        // A re-run assembles afresh; downloads and images come back from the caches.
        if (Directory.Exists(build.Staging))
        {
            Directory.Delete(build.Staging, recursive: true);
        }

        Directory.CreateDirectory(build.Staging);
        return build;
    }

    /// <summary>
    /// One build at a time per package on this machine: two builds of it in one workspace would share its folders.
    /// A dry run writes nothing, not even a lock.
    /// </summary>
    private static BuildLock? LockPackage(BuildContext context, PackageIdentity identity) =>
        context.IsDryRun ? null : BuildLock.Acquire(
            Path.Combine(context.Paths.Work, "package", identity.FullName + ".lock"),
            $"package {identity.FullName} in {context.Paths.Work}",
            line => context.Log.Warning("{0}", line));

    private IProgressDisplay ProgressFor(BuildContext context)
    {
        var console = services.GetRequiredService<IAnsiConsole>();
        return console.Profile.Capabilities.Interactive && !context.BuildSystem().IsRunningOnJenkins && !Console.IsOutputRedirected
            ? new TerminalProgress(console)
            : new PlainProgress(line => context.Log.Information("{0}", line), TimeSpan.FromSeconds(5));
    }

    private static string TaskNameOf(Type type) => type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? type.Name;
}
