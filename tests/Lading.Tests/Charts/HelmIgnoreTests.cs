using Lading.Charts;

namespace Lading.Tests.Charts;

/// <summary>.helmignore as helm 3 reads it (checked against helm v3.17.2), which is not how git reads .gitignore.</summary>
public sealed class HelmIgnoreTests
{
    [Theory]
    [InlineData("*.bak", "files/app.conf.bak", false, true)]
    [InlineData("*.bak", "app.bak", false, true)]
    [InlineData("*.bak", "files/app.conf", false, false)]
    [InlineData("docs/*.md", "docs/design.md", false, true)]
    [InlineData("docs/*.md", "sub/docs/design.md", false, false)]
    [InlineData("docs/*.md", "docs/deep/design.md", false, false)]
    [InlineData("/README.md", "README.md", false, true)]
    [InlineData("/README.md", "charts/redis/README.md", false, false)]
    [InlineData("README.md", "charts/redis/README.md", false, true)]
    [InlineData("cache/", "files/cache", true, true)]
    [InlineData("cache/", "files/cache", false, false)]
    [InlineData("file?.txt", "file1.txt", false, true)]
    [InlineData("file?.txt", "file10.txt", false, false)]
    [InlineData("[Rr]EADME.md", "Readme.md", false, false)]
    [InlineData("[Rr]EADME.md", "rEADME.md", false, true)]
    [InlineData("[^a-m]*.yaml", "values.yaml", false, true)]
    [InlineData("[^a-m]*.yaml", "config.yaml", false, false)]
    [InlineData("\\#notes", "#notes", false, true)]
    [InlineData("  *.tmp  ", "x.tmp", false, true)]
    [InlineData("# *.tmp", "x.tmp", false, false)]
    public void A_rule_matches_as_helm_matches_it(string rule, string path, bool isDirectory, bool ignored)
    {
        var rules = HelmIgnore.Parse(rule, ".helmignore");

        Assert.Equal(ignored, rules.Ignores(path, isDirectory));
    }

    [Theory]
    [InlineData("keep.txt", false)]
    [InlineData("Chart.yaml", true)]
    [InlineData("templates", true)]
    public void A_negated_rule_ignores_everything_it_does_not_match(string path, bool ignored)
    {
        var rules = HelmIgnore.Parse("!keep.txt", ".helmignore");

        Assert.Equal(ignored, rules.Ignores(path, isDirectory: path == "templates"));
    }

    [Fact]
    public void An_earlier_rule_wins_over_a_later_negation()
    {
        var rules = HelmIgnore.Parse("*.txt\n!keep.txt\n", ".helmignore");

        Assert.True(rules.Ignores("keep.txt", isDirectory: false));
    }

    [Theory]
    [InlineData("templates/.hidden.yaml", true)]
    [InlineData("templates/.h", true)]
    [InlineData("templates/x.yaml", false)]
    [InlineData(".hidden-at-root", false)]
    [InlineData("charts/sub/templates/.hidden.yaml", false)]
    public void Hidden_files_in_templates_are_always_left_out(string path, bool ignored)
    {
        Assert.Equal(ignored, HelmIgnore.Parse(string.Empty, ".helmignore").Ignores(path, isDirectory: false));
    }

    [Fact]
    public void Every_bad_pattern_is_reported_with_its_line()
    {
        var error = Assert.Throws<ChartException>(() => HelmIgnore.Parse("*.bak\nsrc/**/*.go\n  [abc\nok\nend\\", "chart/.helmignore"));

        Assert.Collection(
            error.Problems,
            p => Assert.Equal(("chart/.helmignore", 2, 1, true), (p.File, p.Line, p.Column, p.Message.Contains("'**'"))),
            p => Assert.Equal(("chart/.helmignore", 3, 3, true), (p.File, p.Line, p.Column, p.Message.Contains("'['"))),
            p => Assert.Equal(("chart/.helmignore", 5, 1, true), (p.File, p.Line, p.Column, p.Message.Contains("lone"))));
    }

    [Fact]
    public void The_chart_root_itself_is_never_ignored()
    {
        Assert.False(HelmIgnore.Parse("*\n", ".helmignore").Ignores(".", isDirectory: true));
    }
}
