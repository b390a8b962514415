using System.Text;
using Lading.Release;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Release;

public sealed class ComponentRepoFileTests : IDisposable
{
    private const string PlainList = """
        # components of the devops module
        - repositoryFullName: muzi502/cyclone      # a plain list
          currentTag: v0.5.3
          chartPaths: [manifests/cyclone]
          targetChartPath: addons

        - repositoryFullName: muzi502/cyclone-web
          currentTag: 'v0.5.1'   # quoted on purpose
          chartPaths:
          - charts/web
          - charts/web-crds
          targetChartPath: addons
        """;

    private const string WithMetadata = """
        metadata: {name: collect set, description: the collected components}
        spec:
        - repositoryFullName: muzi502/cyclone
          baseVersion: v1.2                         # release line: only v1.2.x tags
          currentTag: "v1.2.0"
          chartPaths: [manifests/cyclone]
          targetChartPath: addons
        - {repositoryFullName: acme/controller, baseVersion: controller-v1.14, currentTag: controller-v1.14.1, chartPaths: [deploy/chart], targetChartPath: addons}
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_plain_list_is_read_with_the_place_of_each_entry()
    {
        var file = ComponentRepoFile.Parse(PlainList, "repos/devops.yaml");

        Assert.Null(file.Name);
        Assert.Collection(
            file.Repos,
            r =>
            {
                Assert.Equal(("muzi502/cyclone", null, "v0.5.3", "addons"), (r.RepositoryFullName, r.BaseVersion, r.CurrentTag, r.TargetChartPath));
                Assert.Equal(["manifests/cyclone"], r.ChartPaths);
                Assert.Equal("repos/devops.yaml:2:3", r.Place);
            },
            r =>
            {
                Assert.Equal(("muzi502/cyclone-web", "v0.5.1"), (r.RepositoryFullName, r.CurrentTag));
                Assert.Equal(["addons/web", "addons/web-crds"], r.AddonFolders);
                Assert.Equal(7, r.Line);
            });
    }

    [Fact]
    public void The_metadata_and_spec_shape_is_read_with_base_versions()
    {
        var file = ComponentRepoFile.Parse(WithMetadata, "repos/collect.yaml");

        Assert.Equal("collect set", file.Name);
        Assert.Equal("the collected components", file.Description);
        Assert.Equal(["v1.2", "controller-v1.14"], file.Repos.Select(r => r.BaseVersion));
        Assert.Equal(["v1.2.0", "controller-v1.14.1"], file.Repos.Select(r => r.CurrentTag));
        Assert.Equal((8, 3), (file.Repos[1].Line, file.Repos[1].Column));
    }

    [Theory]
    [InlineData(PlainList, 0, "v0.5.4", "  currentTag: v0.5.4\n")]
    [InlineData(PlainList, 1, "v0.6.0-rc.1", "  currentTag: 'v0.6.0-rc.1'   # quoted on purpose\n")]
    [InlineData(WithMetadata, 0, "v1.2.7", "  currentTag: \"v1.2.7\"\n")]
    [InlineData(WithMetadata, 1, "controller-v1.14.9", "currentTag: controller-v1.14.9, chartPaths")]
    public void Writing_a_current_tag_changes_only_that_value(string text, int entry, string tag, string expectedFragment)
    {
        var file = ComponentRepoFile.Parse(text, "repos/x.yaml");
        var old = file.Repos[entry].CurrentTag;

        var updated = file.WithCurrentTag(file.Repos[entry], tag);

        Assert.Contains(expectedFragment, updated.Text);
        Assert.Equal(tag, updated.Repos[entry].CurrentTag);
        var oldStart = text.IndexOf(old, StringComparison.Ordinal);
        Assert.Equal(text[..oldStart] + tag + text[(oldStart + old.Length)..], updated.Text);
    }

    [Fact]
    public void A_tag_that_plain_yaml_would_misread_is_quoted()
    {
        var file = ComponentRepoFile.Parse("- {repositoryFullName: a/b, currentTag: v1, chartPaths: [c], targetChartPath: addons}\n", "repos/x.yaml");

        Assert.Equal(
            "- {repositoryFullName: a/b, currentTag: \"1.10\", chartPaths: [c], targetChartPath: addons}\n",
            file.WithCurrentTag(file.Repos[0], "1.10").Text);
        Assert.Contains("currentTag: \"#1 release\"", file.WithCurrentTag(file.Repos[0], "#1 release").Text);
    }

    [Fact]
    public async Task Saving_keeps_byte_order_mark_line_endings_and_comments()
    {
        var crlf = PlainList.Replace("\n", "\r\n");
        var path = _temp.Combine("devops.yaml");
        File.WriteAllBytes(path, [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(crlf)]);
        var file = ComponentRepoFile.Load(path);

        await file.WithCurrentTag(file.Repos[1], "v0.5.2").SaveAsync();

        var expected = crlf.Replace("'v0.5.1'", "'v0.5.2'");
        Assert.Equal([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(expected)], File.ReadAllBytes(path));
        Assert.Single(Directory.EnumerateFiles(_temp.Path));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_place()
    {
        const string text = """
            metadata:
              name: broken
              owner: me
            spec:
            - repositoryFullName: a/b
              currentTag: v1.0.0
              chartPaths: manifests/b
              targetChartPath: addons
            - repositoryFullName: c/d
              chartPaths: [../outside]
              targetChartPath: addons
              currentTage: v1.0.0
            - just a string
            """;

        var error = Assert.Throws<ReleaseException>(() => ComponentRepoFile.Parse(text, "repos/broken.yaml"));

        Assert.Collection(
            error.Problems,
            p => Assert.Equal(("3:3", true), ($"{p.Line}:{p.Column}", p.Message.Contains("unknown key 'owner' in metadata"))),
            p => Assert.Equal(("7:15", true), ($"{p.Line}:{p.Column}", p.Message.Contains("chartPaths must be a list"))),
            p => Assert.Equal(("10:16", true), ($"{p.Line}:{p.Column}", p.Message.Contains("'../outside' must be a path inside the repo"))),
            p => Assert.Equal(("12:3", true), ($"{p.Line}:{p.Column}", p.Message.Contains("unknown key 'currentTage'"))),
            p => Assert.Equal(("9:3", true), ($"{p.Line}:{p.Column}", p.Message.Contains("'currentTag' is missing"))),
            p => Assert.Equal(("13:3", true), ($"{p.Line}:{p.Column}", p.Message.Contains("a component repo must be a mapping"))));
        Assert.All(error.Problems, p => Assert.Equal("repos/broken.yaml", p.File));
    }

    [Theory]
    [InlineData("- repositoryFullName: a/b\n  currentTag: true\n  chartPaths: [c]\n  targetChartPath: addons\n", "2:15", "currentTag must be a non-empty string")]
    [InlineData("- repositoryFullName: a/b\n  currentTag: [v1]\n  chartPaths: [c]\n  targetChartPath: addons\n", "2:15", "currentTag must be a non-empty string")]
    [InlineData("- repositoryFullName: a/b\n  currentTag: v1\n  currentTag: v2\n  chartPaths: [c]\n  targetChartPath: addons\n", "3:", "Duplicate key")]
    [InlineData("spec: {a: b}\n", "1:7", "'spec' must be a list")]
    [InlineData("metadata: {name: x}\n", "1:1", "'spec' is missing")]
    [InlineData("just text\n", "1:1", "must be a list of component repos")]
    public void A_wrong_shape_or_type_is_explained(string text, string place, string message)
    {
        var error = Assert.Throws<ReleaseException>(() => ComponentRepoFile.Parse(text, "repos/x.yaml"));

        Assert.Contains(error.Problems, p => p.ToString().StartsWith($"repos/x.yaml:{place}", StringComparison.Ordinal) && p.Message.Contains(message));
    }

    [Fact]
    public void A_folder_of_repos_files_is_read_in_both_shapes_and_all_problems_are_gathered()
    {
        _temp.Write("repos/a-devops.yaml", PlainList.Replace("[manifests/cyclone]", "[manifests/cyclone-legacy]"));
        _temp.Write("repos/b-collect.yml", WithMetadata);
        _temp.Write("repos/README.md", "not a repos file");

        var files = ComponentRepoFile.LoadFolder(_temp.Combine("repos"));
        Assert.Equal(4, files.SelectMany(f => f.Repos).Count());

        _temp.Write("repos/c-broken.yaml", "- repositoryFullName: x/y\n");
        _temp.Write("repos/d-clash.yaml", "- {repositoryFullName: other/cyclone, currentTag: v1, chartPaths: [deploy/cyclone], targetChartPath: addons}\n");
        var error = Assert.Throws<ReleaseException>(() => ComponentRepoFile.LoadFolder(_temp.Combine("repos")));

        Assert.Equal(4, error.Problems.Count(p => p.File.EndsWith("c-broken.yaml") && p.Message.Contains("is missing")) + error.Problems.Count(p => p.File.EndsWith("d-clash.yaml")));
        Assert.Contains(error.Problems, p => p.File.EndsWith("d-clash.yaml") && p.Message.Contains("'addons/cyclone'") && p.Message.Contains("muzi502/cyclone"));
    }

    [Fact]
    public void Owners_are_read_as_a_list_or_one_name_and_gathered_per_addon()
    {
        var file = ComponentRepoFile.Parse("""
            - repositoryFullName: community/helm-charts
              currentTag: kube-state-metrics-5.16.0
              chartPaths: [charts/kube-state-metrics]
              targetChartPath: addons
              owners: [zhangsan, lisi@example.com]
            - repositoryFullName: community/helm-charts
              currentTag: prometheus-node-exporter-4.25.0
              chartPaths: [charts/prometheus-node-exporter]
              targetChartPath: addons
              owners: wangwu

            """, "repos/monitoring.yaml");

        Assert.Equal(["zhangsan", "lisi@example.com"], file.Repos[0].Owners);
        Assert.Equal(["wangwu"], file.Repos[1].Owners);
        var owners = ComponentRepoFile.OwnersByAddon(file.Repos);
        Assert.Equal(["zhangsan", "lisi@example.com"], owners["kube-state-metrics"]);
        Assert.Equal(["wangwu"], owners["prometheus-node-exporter"]);
    }

    [Fact]
    public void Owners_that_are_not_names_are_refused_at_their_place()
    {
        var error = Assert.Throws<ReleaseException>(() => ComponentRepoFile.Parse("""
            - repositoryFullName: acme/cyclone
              currentTag: v1.2.0
              chartPaths: [manifests/cyclone]
              targetChartPath: addons
              owners: {lead: zhangsan}

            """, "repos/plain.yaml"));

        Assert.Contains("repos/plain.yaml:5:11: owners must be a list of chat user ids or emails", error.Message);
    }
}
