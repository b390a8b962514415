using Lading.Images;
using Lading.Reporting;
using Lading.Tools.Git;
using Lading.Tools.Skopeo;

namespace Lading.Benchmark;

/// <summary>What the benchmark runs with: git for the release repo, Lading's own host and skopeo as measured processes.</summary>
public sealed record BenchmarkTools(
    GitRunner Git,
    GitRunner MeasuredGit,
    LadingProcess Lading,
    LadingProcessSettings LadingSettings,
    SkopeoRunner Skopeo,
    MeasuredProcessRunner Meter,
    string DockerRegistry,
    string Helm);

/// <summary>
/// Generates a platform (images with shared layers, a release repo of charts naming them), serves the images from a
/// local docker-registry, then times side by side, run after run, each as a whole process: Lading's SyncImages into
/// an empty store and again into the full one, <c>skopeo sync</c> to dir, a <c>skopeo copy</c> loop into one OCI
/// layout, a whole Package cold and warm, a Hotfix of one changed chart, and a cold Package at smaller image counts.
/// Everything it writes lives under the work folder and is removed at the end, but the generated images, kept for
/// the next run.
/// </summary>
public sealed class PlatformBenchmark(BenchmarkOptions options, BenchmarkTools tools, string workFolder, Action<string> log)
{
    private static readonly SkopeoSettings Skopeo = new() { InsecurePolicy = true };

    public async Task<BenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        CheckFreeSpace();
        var images = await GeneratedImages.EnsureAsync(workFolder, options, log, cancellationToken);
        log($"{images.Images.Count} image(s): {PlainProgress.Bytes(images.LogicalBytes)} logical, {PlainProgress.Bytes(images.UniqueBytes)} unique");
        var run = Path.Combine(workFolder, $"run-{Guid.NewGuid():N}");
        try
        {
            // The generated store, hard-linked as a registry tree: served read-only as it is, nothing pushed or copied.
            var storage = Path.Combine(run, "registry");
            await new RegistryTreeWriter(images.Store, storage)
                .WriteAsync(images.Images.Select(i => new LayoutImage(i.Repository, i.Tag, Digest.Parse(i.Manifest))), cancellationToken);
            await using var registry = await DockerRegistryProcess.StartAsync(tools.DockerRegistry, storage, Path.Combine(run, "registry-config"), cancellationToken, readOnly: true);
            var release = BenchmarkRelease.Create(tools.Git, Path.Combine(run, "release"), images.Images, options.Charts, options.MemoryPoints);
            log($"Release repo of {options.Charts} chart(s) at {release.Root}; images served by docker-registry on {registry.Address}");
            var components = BenchmarkComponents.Ensure(workFolder, options, log);
            log($"{components.Components.Count} component repositories, {PlainProgress.Bytes(components.HistoryBytes)} of history in all, under {components.GitBase}");
            var yaml = Path.Combine(run, "skopeo-sync.yaml");
            await File.WriteAllTextAsync(yaml, SkopeoSyncYaml(registry.Address, images.Images), cancellationToken);

            var rows = new List<(string Name, string Command, List<RowRun> Runs)>();
            void Record(string name, string command, RowRun measured)
            {
                var row = rows.FirstOrDefault(r => r.Name == name);
                if (row.Runs is null)
                {
                    row = (name, command, []);
                    rows.Add(row);
                }

                row.Runs.Add(measured);
            }

            var rounds = new Rounds(tools, options.Runs, log, registry.Address, release, components, yaml, images, Record);
            for (var round = 1; round <= options.Runs; round++)
            {
                rounds.Run(Path.Combine(run, $"round-{round}"), round);
            }

            // Memory as images grow: a cold Package of the first N images, once each.
            foreach (var count in options.MemoryPoints)
            {
                rounds.PackageAt(Path.Combine(run, $"images-{count}"), count);
            }

            return new BenchmarkReport(options, images.LogicalBytes, images.UniqueBytes, Environment.ProcessorCount, tools.Skopeo.Version(Skopeo), DateTimeOffset.UtcNow,
                rows.Select(r => new BenchmarkRow(r.Name, r.Command, r.Runs)).ToList());
        }
        finally
        {
            DeleteFolder(run);
        }
    }

    /// <summary>Fails before anything is generated when the disk cannot hold the run.</summary>
    private void CheckFreeSpace()
    {
        var free = DiskUsage.FreeBytes(workFolder);
        var generated = GeneratedImages.IsGenerated(workFolder, options) && BenchmarkComponents.IsGenerated(workFolder, options);
        if (FreeSpaceProblem(options, generated, free, workFolder) is { } problem)
        {
            throw new BenchmarkException(problem);
        }

        log($"{PlainProgress.Bytes(free)} free under {workFolder}; the run needs at most {PlainProgress.Bytes(NeededBytes(options, generated))}");
    }

    /// <summary>
    /// What a run needs on disk at most: the generated images and component repositories (unless an earlier run left
    /// them), then the largest of skopeo's dir copy (every image whole), a store with two package tars (the old one until
    /// the new one replaces it) or full clones of every component.
    /// </summary>
    public static long NeededBytes(BenchmarkOptions options, bool alreadyGenerated)
    {
        var plan = BenchmarkImageSet.Plan(options);
        var unique = BenchmarkImageSet.UniqueBytes(plan);
        var atOnce = Math.Max(BenchmarkImageSet.LogicalBytes(plan), 3 * unique);
        // The component repositories, generated with the images, and their full clones, made after the images' rows.
        var history = (long)options.Charts * options.ComponentHistoryMegabytes * 1_000_000L;
        return (alreadyGenerated ? 0 : unique + history) + (long)(Math.Max(atOnce, history) * 1.1) + (256L << 20);
    }

    /// <summary>The sentence that stops a run the disk cannot hold, or null.</summary>
    public static string? FreeSpaceProblem(BenchmarkOptions options, bool alreadyGenerated, long freeBytes, string folder)
    {
        var needed = NeededBytes(options, alreadyGenerated);
        return freeBytes >= needed
            ? null
            : $"The benchmark needs {PlainProgress.Bytes(needed)} free under {folder} ({(alreadyGenerated ? "the generated images and repositories are there already" : "the generated images and repositories first")}, " +
              $"then every image whole for skopeo's dir copy, a store and two package tars, or full clones of every component); only {PlainProgress.Bytes(freeBytes)} is free. " +
              $"Free some space, or run a smaller benchmark (--{BenchmarkOptions.ImagesArgument}, --{BenchmarkOptions.SizeArgument}).";
    }

    private sealed class Rounds(BenchmarkTools tools, int runs, Action<string> log, string registry, BenchmarkRelease release, BenchmarkComponents components, string yaml, GeneratedImages images, Action<string, string, RowRun> record)
    {
        public void Run(string folder, int round)
        {
            try
            {
                var store = Path.Combine(folder, "store");
                var work = Path.Combine(folder, "work");
                var cold = Path.Combine(folder, "sync-cold");
                Lading(round, BenchmarkReport.LadingSyncCold, "--target=SyncImages --images=<release>/images into an empty --cache", [store, cold], null,
                    "--target=SyncImages", $"--images={release.ImagesFolder}", $"--source-registry={registry}", $"--cache={store}", $"--work={work}", $"--output={cold}");
                DeleteFolder(cold);

                var warm = Path.Combine(folder, "sync-warm");
                Lading(round, BenchmarkReport.LadingSyncWarm, "the same, the store full, into a new --output", [store, warm], DiskUsage.Versions(store),
                    "--target=SyncImages", $"--images={release.ImagesFolder}", $"--source-registry={registry}", $"--cache={store}", $"--work={work}", $"--output={warm}");
                DeleteFolder(warm);
                DeleteFolder(store);

                var dir = Path.Combine(folder, "skopeo-dir");
                Measure(round, BenchmarkReport.SkopeoSync, "skopeo sync --src yaml --dest dir <yaml> <dir>", [dir], null,
                    () => tools.Skopeo.Sync("yaml", yaml, "dir", dir, settings: Skopeo));
                DeleteFolder(dir);

                var oci = Path.Combine(folder, "skopeo-oci");
                Measure(round, BenchmarkReport.SkopeoCopy, "skopeo copy docker://<registry>/<image> oci:<dir>:<image>, one process per image", [oci], null, () =>
                {
                    foreach (var image in images.Images)
                    {
                        tools.Skopeo.Copy($"docker://{registry}/{image.Name}", $"oci:{oci}:{image.Name}", sourceTlsVerify: false, settings: Skopeo);
                    }
                });
                DeleteFolder(oci);

                var output = Path.Combine(folder, "packages");
                string[] package = ["--target=Package", $"--release-repo={release.Root}", $"--version={BenchmarkRelease.Version}", $"--source-registry={registry}", $"--cache={store}", $"--work={work}", $"--output={output}"];
                Lading(round, BenchmarkReport.LadingPackageCold, "--target=Package --release-repo=<release> --version=v1.0.1 into an empty --cache", [store, work, output], null, package);
                Lading(round, BenchmarkReport.LadingPackageWarm, "the same again: the store full, the package remade", [store, work, output], Versions(store, work, output), package);
                Lading(round, BenchmarkReport.LadingHotfix, "--target=Hotfix --base-version=v1.0.0 --version=v1.0.1, the store full", [store, work, output], Versions(store, work, output),
                    "--target=Hotfix", $"--release-repo={release.Root}", $"--base-version={BenchmarkRelease.BaseVersion}", $"--version={BenchmarkRelease.Version}",
                    $"--source-registry={registry}", $"--cache={store}", $"--work={work}", $"--output={output}", $"--helm={tools.Helm}");
                Collect(folder, round);
            }
            finally
            {
                DeleteFolder(folder);
            }
        }

        /// <summary>The charts of every component at its tag: CollectCharts cold and warm, against a full clone of each repository.</summary>
        private void Collect(string folder, int round)
        {
            var collectRelease = components.CreateRelease(tools.Git, Path.Combine(folder, "collect-release"));
            var collectWork = Path.Combine(folder, "collect-work");
            string[] collect = ["--target=CollectCharts", "--exclusive", $"--release-repo={collectRelease}", $"--git-base-url={components.GitBaseUrl}", $"--work={collectWork}"];
            Lading(round, BenchmarkReport.LadingCollectCold, $"--target=CollectCharts --exclusive, {components.Components.Count} components, an empty --work", [collectWork, collectRelease], null, collect);
            // The next build starts from a clean release checkout, as a new Jenkins build does; the fetched tags stay in --work.
            DeleteFolder(Path.Combine(collectRelease, "addons"));
            Lading(round, BenchmarkReport.LadingCollectWarm, "the same again: the tags fetched before reused", [collectWork, collectRelease], Versions(collectWork, collectRelease), collect);

            var clones = Path.Combine(folder, "clones");
            Measure(round, BenchmarkReport.GitCloneFull, "git clone --branch <tag> <url> <dir>, one per component", [clones], null, () =>
            {
                foreach (var (repository, tag) in components.Components)
                {
                    tools.MeasuredGit.Clone($"{components.GitBaseUrl}/{repository}", new Cake.Core.IO.DirectoryPath(Path.Combine(clones, repository)), tag);
                }
            });
        }

        public void PackageAt(string folder, int count)
        {
            try
            {
                var (store, work, output) = (Path.Combine(folder, "store"), Path.Combine(folder, "work"), Path.Combine(folder, "packages"));
                Lading(1, BenchmarkReport.PackageColdAt(count), $"--target=Package --version={BenchmarkRelease.ScaleTag(count)} (the first {count} images) into an empty --cache", [store, work, output], null,
                    "--target=Package", $"--release-repo={release.Root}", $"--version={BenchmarkRelease.ScaleTag(count)}", $"--source-registry={registry}", $"--cache={store}", $"--work={work}", $"--output={output}");
            }
            finally
            {
                DeleteFolder(folder);
            }
        }

        private void Lading(int round, string name, string command, string[] written, IReadOnlySet<FileVersion>? existing, params string[] arguments) =>
            Measure(round, name, command, written, existing, () => tools.Lading.Run(arguments, tools.LadingSettings));

        private void Measure(int round, string name, string command, string[] written, IReadOnlySet<FileVersion>? existing, Action work)
        {
            var cost = tools.Meter.Measure(work);
            var bytes = DiskUsage.Of(written, existing);
            record(name, command, new RowRun(cost.Seconds, cost.CpuSeconds, cost.PeakRssBytes, bytes));
            log($"run {round}/{runs}: {name,-34} {cost.Seconds,7:0.00} s  {cost.CpuSeconds,7:0.00} s CPU  {PlainProgress.Bytes(cost.PeakRssBytes),10} peak  {PlainProgress.Bytes(bytes)} written");
        }

        private static HashSet<FileVersion> Versions(params string[] folders) => folders.SelectMany(DiskUsage.Versions).ToHashSet();
    }

    private static string SkopeoSyncYaml(string registry, IEnumerable<GeneratedImage> images) =>
        $"{registry}:\n  tls-verify: false\n  images:\n" + string.Concat(images.GroupBy(i => i.Repository)
            .Select(g => $"    {g.Key}:\n" + string.Concat(g.Select(i => $"      - \"{i.Tag}\"\n"))));

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
