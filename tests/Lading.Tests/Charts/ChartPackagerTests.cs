using System.Formats.Tar;
using System.IO.Compression;
using Lading.Charts;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Charts;

public sealed class ChartPackagerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Packaging_the_same_chart_twice_gives_the_same_sha256()
    {
        var chart = ChartFolders.WriteFullChart(_temp, "platform-app", "*.bak\n");
        FileTimes.Set(chart, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        var first = await ChartPackager.PackageAsync(chart, _temp.Combine("first"));

        // A fresh checkout has other file times and another directory order; neither may change the bytes.
        FileTimes.Set(chart, new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var second = await ChartPackager.PackageAsync(chart, _temp.Combine("second"));

        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(File.ReadAllBytes(first.Path), File.ReadAllBytes(second.Path));
    }

    [Fact]
    public async Task A_changed_file_changes_the_sha256()
    {
        var chart = ChartFolders.Write(_temp, "app", "app");
        var before = await ChartPackager.PackageAsync(chart, _temp.Combine("before"));
        File.AppendAllText(Path.Combine(chart, "values.yaml"), "extra: true\n");

        var after = await ChartPackager.PackageAsync(chart, _temp.Combine("after"));

        Assert.NotEqual(before.Sha256, after.Sha256);
    }

    [Fact]
    public async Task Entries_are_sorted_files_owned_by_root_with_one_fixed_time()
    {
        var chart = ChartFolders.WriteFullChart(_temp, "platform-app", string.Empty);
        if (!OperatingSystem.IsWindows())
        {
            // An executable script still goes in as 0644, as helm stores it.
            File.SetUnixFileMode(Path.Combine(chart, "files/config/app.conf"), (UnixFileMode)0b111_101_101);
        }

        var package = await ChartPackager.PackageAsync(chart, _temp.Path);

        using var gzip = new GZipStream(File.OpenRead(package.Path), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var entries = new List<TarEntry>();
        while (tar.GetNextEntry() is { } entry)
        {
            entries.Add(entry);
        }

        Assert.Equal(entries.Select(e => e.Name).Order(StringComparer.Ordinal), entries.Select(e => e.Name));
        Assert.All(entries, e =>
        {
            Assert.Equal(TarEntryType.RegularFile, e.EntryType);
            Assert.StartsWith("platform-app/", e.Name);
            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
            Assert.Equal((UnixFileMode)0b110_100_100, e.Mode);
            Assert.Equal(new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero), e.ModificationTime);
        });
        Assert.Contains("platform-app/charts/postgres/Chart.yaml", entries.Select(e => e.Name));
        Assert.Equal(package.Entries, entries.Select(e => e.Name));
    }

    [Fact]
    public async Task Gzip_header_carries_no_name_no_time_and_no_operating_system()
    {
        var package = await ChartPackager.PackageAsync(ChartFolders.Write(_temp, "app", "app"), _temp.Path);

        var header = File.ReadAllBytes(package.Path)[..10];

        Assert.Equal(new byte[] { 0x1f, 0x8b, 8 }, header[..3]);
        Assert.Equal(0, header[3] & 0x08);
        Assert.Equal(new byte[4], header[4..8]);
        Assert.Equal(255, header[9]);
    }

    [Fact]
    public async Task Paths_too_long_for_plain_tar_are_kept_whole_and_deterministic()
    {
        var chart = ChartFolders.Write(_temp, "app", "app");
        var deep = string.Join('/', Enumerable.Repeat("a-rather-long-folder-name-for-a-config-tree", 5)) + "/settings-of-the-component.yaml";
        _temp.Write($"app/files/{deep}", "key: value");

        FileTimes.Set(chart, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        var first = await ChartPackager.PackageAsync(chart, _temp.Combine("first"));
        FileTimes.Set(chart, new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var second = await ChartPackager.PackageAsync(chart, _temp.Combine("second"));

        Assert.Equal(first.Sha256, second.Sha256);
        // Such a name needs a GNU long-name header (not PAX, whose header names carry the writing process id): it
        // carries the path and the fixed time, no time read from the clock, and no access or change time.
        await using var gzip = new GZipStream(File.OpenRead(first.Path), CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        GnuTarEntry? entry = null;
        while (entry is null && await tar.GetNextEntryAsync() is { } next)
        {
            if (next.Name == $"app/files/{deep}")
            {
                entry = Assert.IsType<GnuTarEntry>(next);
            }
        }

        Assert.NotNull(entry);
        Assert.Equal(new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero), entry.ModificationTime);
        Assert.NotEqual(entry.ModificationTime, entry.AccessTime);
    }

    [Fact]
    public async Task A_symlink_inside_the_chart_is_packaged_as_the_file_it_points_to()
    {
        var chart = ChartFolders.Write(_temp, "app", "app");
        _temp.Write("app/files/shared/real.conf", "shared: true");
        File.CreateSymbolicLink(Path.Combine(chart, "files/linked.conf"), "shared/real.conf");
        Directory.CreateSymbolicLink(Path.Combine(chart, "files/alias"), "shared");

        var contents = ChartPackager.Read(chart);

        Assert.Equal("shared: true"u8.ToArray(), contents.Entries.Single(e => e.Path == "app/files/linked.conf").Content);
        Assert.Contains(contents.Entries, e => e.Path == "app/files/alias/real.conf");
        await Task.CompletedTask;
    }

    [Fact]
    public void A_chart_reached_through_a_symlinked_folder_packages_the_same()
    {
        var chart = ChartFolders.Write(_temp, "real/app", "app");
        Directory.CreateSymbolicLink(_temp.Combine("via"), "real");
        File.CreateSymbolicLink(Path.Combine(chart, "files-link.yaml"), "values.yaml");

        var direct = ChartPackager.Read(chart);
        var linked = ChartPackager.Read(_temp.Combine("via", "app"));

        Assert.Equal(direct.Entries.Select(e => e.Path), linked.Entries.Select(e => e.Path));
        Assert.Contains("app/files-link.yaml", linked.Entries.Select(e => e.Path));

        // A loop deeper in the tree is caught even when the chart's own path goes through a link.
        Directory.CreateDirectory(Path.Combine(chart, "files/sub"));
        Directory.CreateSymbolicLink(Path.Combine(chart, "files/sub/up"), "..");
        var error = Assert.Throws<ChartException>(() => ChartPackager.Read(_temp.Combine("via", "app")));
        var problem = Assert.Single(error.Problems);
        Assert.Equal((_temp.Combine("via", "app", "files", "sub", "up"), true), (problem.File, problem.Message.Contains("never end")));
    }

    [Fact]
    public void Symlinks_leaving_the_chart_are_refused_all_at_once()
    {
        var chart = ChartFolders.Write(_temp, "app", "app");
        _temp.Write("secret.txt", "password");
        File.CreateSymbolicLink(Path.Combine(chart, "files-escape.txt"), "../secret.txt");
        File.CreateSymbolicLink(Path.Combine(chart, "passwd"), "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Combine(chart, "loop"), ".");
        Directory.CreateSymbolicLink(Path.Combine(chart, "templates/back"), "..");

        var error = Assert.Throws<ChartException>(() => ChartPackager.Read(chart));

        Assert.Equal(4, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.File.EndsWith("templates/back") && p.Message.Contains("never end"));
        Assert.Contains(error.Problems, p => p.File.EndsWith("files-escape.txt") && p.Message.Contains("outside the chart"));
        Assert.Contains(error.Problems, p => p.File.EndsWith("passwd") && p.Message.Contains("outside the chart"));
        Assert.Contains(error.Problems, p => p.File.EndsWith("loop") && p.Message.Contains("never end"));
    }

    [Theory]
    [InlineData("postgres/../../../etc/cron.d/evil")]
    [InlineData("/etc/cron.d/evil")]
    public void A_subchart_archive_with_an_entry_leaving_the_chart_is_refused(string hostileEntry)
    {
        var chart = ChartFolders.Write(_temp, "app", "app");
        Directory.CreateDirectory(Path.Combine(chart, "charts"));
        File.WriteAllBytes(Path.Combine(chart, "charts/postgres-1.0.0.tgz"), ChartFolders.PackagedSubchart(_temp, "postgres", "1.0.0", (hostileEntry, "* * * * * root sh")));

        var error = Assert.Throws<ChartException>(() => ChartPackager.Read(chart));

        var problem = Assert.Single(error.Problems);
        Assert.EndsWith("postgres-1.0.0.tgz", problem.File);
        Assert.Contains("outside the chart", problem.Message);
    }

    [Fact]
    public void Every_chart_yaml_problem_is_reported_with_its_line_and_column()
    {
        var chart = _temp.Combine("broken");
        _temp.Write("broken/Chart.yaml", "apiVersion: v3\nname: my/app\nversion: 1.2\n");
        _temp.Write("broken/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\n");

        var error = Assert.Throws<ChartException>(() => ChartPackager.Read(chart));

        var chartYaml = Path.Combine(chart, "Chart.yaml");
        Assert.Contains(error.Problems, p => p.File == chartYaml && p is { Line: 1, Column: 13 } && p.Message.Contains("'v3'"));
        Assert.Contains(error.Problems, p => p.File == chartYaml && p is { Line: 2, Column: 7 } && p.Message.Contains("'my/app'"));
        Assert.Contains(error.Problems, p => p.File == chartYaml && p is { Line: 3, Column: 10 } && p.Message.Contains("SemVer"));
        Assert.Contains(error.Problems, p => p.File == Path.Combine(chart, "charts/sub/Chart.yaml") && p.Message.Contains("'version' is missing"));
        Assert.Equal(4, error.Problems.Count);
        Assert.Contains($"{chartYaml}:1:13:", error.Message);
    }

    [Fact]
    public void A_helmignore_that_leaves_out_chart_yaml_is_explained()
    {
        var chart = ChartFolders.Write(_temp, "app", "app");
        _temp.Write("app/.helmignore", "!templates\n");

        var error = Assert.Throws<ChartException>(() => ChartPackager.Read(chart));

        Assert.Contains(error.Problems, p => p.Message.Contains("left out by .helmignore"));
    }

    [Fact]
    public async Task A_failed_packaging_leaves_nothing_under_the_final_name()
    {
        var chart = ChartFolders.Write(_temp, "app", "app");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ChartPackager.PackageAsync(chart, _temp.Combine("out"), cancelled.Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Combine("out")));
    }

    [Fact]
    public async Task Packaging_many_charts_writes_each_or_reports_every_broken_one_and_writes_none()
    {
        var app = ChartFolders.Write(_temp, "addons/app", "app");
        var db = ChartFolders.Write(_temp, "addons/db", "db", "2.0.0");

        var packaged = await ChartPackager.PackageAllAsync([app, db], _temp.Combine("out"), maxParallel: 2);
        Assert.Equal(["app-0.1.0.tgz", "db-2.0.0.tgz"], packaged.Select(p => Path.GetFileName(p.Path)));

        var copy = ChartFolders.Write(_temp, "addons/app-copy", "app");
        _temp.Write("addons/broken/Chart.yaml", "apiVersion: v2\nname: broken\n");
        var error = await Assert.ThrowsAsync<ChartException>(() => ChartPackager.PackageAllAsync([app, db, copy, _temp.Combine("addons/broken")], _temp.Combine("out2"), maxParallel: 2));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Message.Contains("2 charts package to app-0.1.0.tgz"));
        Assert.Contains(error.Problems, p => p.File.EndsWith("broken/Chart.yaml") && p.Message.Contains("'version' is missing"));
        Assert.False(Directory.Exists(_temp.Combine("out2")));
    }

    [Fact]
    public async Task A_chart_short_of_a_chart_it_depends_on_is_not_packaged_and_each_missing_one_is_named_with_its_line()
    {
        var app = ChartFolders.Write(_temp, "addons/app", "app", "1.0.0", """
            dependencies:
            - name: redis
              version: 17.3.0
              repository: oci://registry-1.docker.io/bitnamicharts
            - name: common
              version: 2.x.x
              repository: https://charts.bitnami.com/bitnami
              condition: common.enabled
            - name: kube-state-metrics
              version: 5.16.0
              repository: https://prometheus-community.github.io/helm-charts
            """);
        ChartFolders.Write(_temp, "addons/app/charts/redis", "redis", "17.3.0");
        // A chart of a longer name is not the one needed.
        ChartFolders.Write(_temp, "addons/app/charts/kube-state", "kube-state", "5.0.0");

        var error = await Assert.ThrowsAsync<ChartException>(() => ChartPackager.PackageAllAsync([app], _temp.Combine("out"), maxParallel: 1));

        Assert.Equal(
        [
            "common 2.x.x from https://charts.bitnami.com/bitnami",
            "kube-state-metrics 5.16.0 from https://prometheus-community.github.io/helm-charts",
        ], error.Problems.Select(p => p.Message.StartsWith("depends on ", StringComparison.Ordinal) ? p.Message[("depends on ".Length)..p.Message.IndexOf(", which", StringComparison.Ordinal)] : p.ToString()));
        Assert.All(error.Problems, p => Assert.EndsWith(Path.Combine("addons", "app", "Chart.yaml"), p.File));
        Assert.Equal([12, 16], error.Problems.Select(p => p.Line));
        Assert.False(Directory.Exists(_temp.Combine("out")));

        // An archive counts for the chart its name starts with, followed by a version: kube-state-5.0.0.tgz would not.
        _temp.Write("addons/app/charts/common-2.14.1.tgz", "not read");
        _temp.Write("addons/app/charts/kube-state-metrics-5.16.0.tgz", "not read");
        Assert.Empty(ChartDependencies.Missing(app));
    }

    [Fact]
    public async Task Charts_archive_holds_every_package_once_with_deterministic_bytes()
    {
        var app = await ChartPackager.PackageAsync(ChartFolders.Write(_temp, "app", "app"), _temp.Combine("tgz"));
        var db = await ChartPackager.PackageAsync(ChartFolders.Write(_temp, "db", "db", "2.0.0"), _temp.Combine("tgz"));

        var first = await ChartArchive.WriteAsync([db.Path, app.Path], _temp.Combine("one", ChartArchive.FileName), "charts");
        var second = await ChartArchive.WriteAsync([app.Path, db.Path], _temp.Combine("two", ChartArchive.FileName), "charts");

        Assert.Equal(first, second);
        Assert.Equal(["charts/app-0.1.0.tgz", "charts/db-2.0.0.tgz"], ChartFolders.EntriesOf(_temp.Combine("one", ChartArchive.FileName)));
    }

    [Fact]
    public async Task Charts_archive_refuses_two_packages_with_one_name()
    {
        var app = await ChartPackager.PackageAsync(ChartFolders.Write(_temp, "app", "app"), _temp.Combine("a"));
        var again = await ChartPackager.PackageAsync(ChartFolders.Write(_temp, "app2", "app"), _temp.Combine("b"));

        var error = await Assert.ThrowsAsync<ChartException>(() => ChartArchive.WriteAsync([app.Path, again.Path], _temp.Combine(ChartArchive.FileName)));

        Assert.Contains("app-0.1.0.tgz", error.Message);
        Assert.False(File.Exists(_temp.Combine(ChartArchive.FileName)));
    }
}
