using Lading.Charts;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Charts;

/// <summary>Our packages next to what the real helm makes and accepts.</summary>
public sealed class ChartPackagerAgainstHelmTests : IDisposable
{
    private const string TypicalHelmignore = """
        # backups and scratch files
        *.bak
        *.tmp
        .git/
        cache/
        /README.md
        docs/*.md
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [SkippableTheory]
    [InlineData(TypicalHelmignore)]
    [InlineData("")]
    [InlineData("files/\n*.txt\n")]
    [InlineData("/files/config/*.ba?\n[Rr]EADME.md\n\\#notes\ncharts/redis/templates/\n")]
    [InlineData("docs\n/charts/redis/values.yaml\n")]
    public async Task Package_holds_exactly_the_entries_helm_package_puts_in(string helmignore)
    {
        var helm = new Helm(Requires.Helm());
        var chart = ChartFolders.WriteFullChart(_temp, "platform-app", helmignore);

        var ours = await ChartPackager.PackageAsync(chart, _temp.Combine("ours"));
        helm.Run("package", chart, "--destination", _temp.Combine("helm"));
        var theirs = ChartFolders.EntriesOf(_temp.Combine("helm", "platform-app-v1.2.0-rc.1.tgz"));

        Assert.Equal("platform-app-v1.2.0-rc.1.tgz", Path.GetFileName(ours.Path));
        Assert.Equal(theirs.Order(StringComparer.Ordinal), ChartFolders.EntriesOf(ours.Path));
    }

    [SkippableFact]
    public async Task Every_file_but_chart_yaml_holds_the_bytes_helm_stores()
    {
        var helm = new Helm(Requires.Helm());
        var chart = ChartFolders.WriteFullChart(_temp, "platform-app", TypicalHelmignore);
        File.WriteAllBytes(Path.Combine(chart, "files/config/with-bom.conf"), [0xEF, 0xBB, 0xBF, .. "key = value\n"u8]);

        var ours = await ChartPackager.PackageAsync(chart, _temp.Combine("ours"));
        helm.Run("package", chart, "--destination", _temp.Combine("helm"));

        // Helm rewrites Chart.yaml from its parsed fields; every other file it stores as loaded.
        var theirs = ChartFolders.ContentsOf(_temp.Combine("helm", "platform-app-v1.2.0-rc.1.tgz"));
        var mine = ChartFolders.ContentsOf(ours.Path);
        Assert.Equal(theirs.Keys.Order(StringComparer.Ordinal), mine.Keys);
        Assert.All(mine.Keys.Where(name => !name.EndsWith("/Chart.yaml", StringComparison.Ordinal)), name => Assert.Equal(theirs[name], mine[name]));
        Assert.Equal("key = value\n"u8.ToArray(), mine["platform-app/files/config/with-bom.conf"]);
    }

    [SkippableFact]
    public async Task Helm_lints_renders_and_shows_our_package()
    {
        var helm = new Helm(Requires.Helm());
        var chart = ChartFolders.WriteFullChart(_temp, "platform-app", TypicalHelmignore);

        var ours = await ChartPackager.PackageAsync(chart, _temp.Path);

        helm.Run("lint", ours.Path);
        var rendered = helm.Run("template", "demo", ours.Path);
        Assert.Contains("name: demo-platform-app", rendered);
        Assert.Contains("name: demo-redis", rendered);
        Assert.Contains("name: demo-postgres", rendered);
        Assert.Contains("image: \"docker.io/library/nginx:1.27\"", rendered);
        var shown = helm.Run("show", "chart", ours.Path);
        Assert.Contains("name: platform-app", shown);
        Assert.Contains("version: v1.2.0-rc.1", shown);
    }

    [SkippableFact]
    public async Task Helm_repackages_our_extracted_package_with_the_same_entries()
    {
        var helm = new Helm(Requires.Helm());
        var tar = Requires.Tool("tar", "tar");
        var chart = ChartFolders.WriteFullChart(_temp, "platform-app", TypicalHelmignore);
        var ours = await ChartPackager.PackageAsync(chart, _temp.Combine("ours"));

        // What GNU tar extracts from our package, helm packages again without losing or gaining a file.
        Directory.CreateDirectory(_temp.Combine("untarred"));
        Assert.Equal(0, Run(tar, "-xzf", ours.Path, "-C", _temp.Combine("untarred")));
        helm.Run("package", _temp.Combine("untarred", "platform-app"), "--destination", _temp.Combine("again"));

        Assert.Equal(
            ChartFolders.EntriesOf(ours.Path),
            ChartFolders.EntriesOf(_temp.Combine("again", "platform-app-v1.2.0-rc.1.tgz")).Order(StringComparer.Ordinal));
    }

    private static int Run(string executable, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(executable, arguments);
        process.WaitForExit();
        return process.ExitCode;
    }
}
