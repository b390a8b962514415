using Lading.Release;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Release;

public sealed class VersionFileTests : IDisposable
{
    private const string Sample = """
        # platform versions: edited by the release pipeline
        spec:
          modules:
          - name: devops
            description: CI/CD
            enable: true
            addons:
            - name: cyclone          # == chart dir name == Chart.yaml name
              description: pipelines
              enable: true
              namespace: devops-system
              version: v1.2.0        # == Chart.yaml version == repo tag
            - name: cyclone-web
              namespace: devops-system
              version: "v0.5.1"
          - name: monitoring
            enable: false
            addons:
            - {name: prometheus, namespace: monitoring, enable: false, version: '45.0.0'}
            - name: grafana
              namespace: monitoring
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Modules_and_addons_are_read_with_their_places()
    {
        var file = VersionFile.Parse(Sample, "version.yml");

        Assert.Equal(["devops", "monitoring"], file.Modules.Select(m => m.Name));
        Assert.False(file.Modules[1].Enable);
        Assert.Collection(
            file.Addons,
            a => Assert.Equal(("devops", "cyclone", "devops-system", true, "v1.2.0", "pipelines", "version.yml:8:7"), (a.Module, a.Name, a.Namespace, a.Enable, a.Version, a.Description, a.Place)),
            a => Assert.Equal(("cyclone-web", "v0.5.1", 13), (a.Name, a.Version, a.Line)),
            a => Assert.Equal(("monitoring", "prometheus", false, "45.0.0"), (a.Module, a.Name, a.Enable, a.Version)),
            a => Assert.Equal(("grafana", null), (a.Name, a.Version)));
    }

    [Fact]
    public void Versions_are_updated_in_place_keeping_comments_order_and_quoting()
    {
        var file = VersionFile.Parse(Sample, "version.yml");

        var update = file.WithVersions(new Dictionary<string, string>
        {
            ["cyclone"] = "v1.2.3",
            ["cyclone-web"] = "v0.6.0",
            ["prometheus"] = "45.1.0",
            ["grafana"] = "7.0.1",
        });

        var expected = Sample
            .Replace("version: v1.2.0        #", "version: v1.2.3        #")
            .Replace("version: \"v0.5.1\"", "version: \"v0.6.0\"")
            .Replace("version: '45.0.0'", "version: '45.1.0'")
            .Replace("- name: grafana\n", "- name: grafana\n      version: 7.0.1\n");
        Assert.Equal(expected, update.File.Text);
        Assert.Equal(
            [("cyclone", "v1.2.0", "v1.2.3"), ("cyclone-web", "v0.5.1", "v0.6.0"), ("prometheus", "45.0.0", "45.1.0"), ("grafana", null, "7.0.1")],
            update.Changes.Select(c => (c.Addon.Name, c.OldVersion, c.NewVersion)));
        Assert.Equal("7.0.1", update.File.Addons.Single(a => a.Name == "grafana").Version);
    }

    [Fact]
    public void A_version_added_to_a_flow_mapping_stays_on_its_line()
    {
        var file = VersionFile.Parse("spec:\n  modules:\n  - name: m\n    addons:\n    - {name: a, enable: true}\n", "version.yml");

        var update = file.WithVersions(new Dictionary<string, string> { ["a"] = "1.0.0" });

        Assert.Equal("spec:\n  modules:\n  - name: m\n    addons:\n    - {name: a, version: 1.0.0, enable: true}\n", update.File.Text);
    }

    [Fact]
    public void Charts_missing_from_the_file_and_addons_without_a_chart_are_reported()
    {
        var file = VersionFile.Parse(Sample, "version.yml");

        var update = file.WithVersions(new Dictionary<string, string> { ["cyclone"] = "v1.2.0", ["loki"] = "5.0.0", ["argo"] = "1.0.0" });

        Assert.False(update.Changed);
        Assert.Same(file, update.File);
        Assert.Equal(["argo", "loki"], update.ChartsNotInVersionFile);
        Assert.Equal(["cyclone-web", "prometheus", "grafana"], update.AddonsWithoutChart.Select(a => a.Name));
    }

    [Fact]
    public async Task Saving_with_crlf_line_endings_keeps_them()
    {
        var path = _temp.Write("version.yml", Sample.Replace("\n", "\r\n"));

        await VersionFile.Load(path).WithVersions(new Dictionary<string, string> { ["grafana"] = "7.0.1" }).File.SaveAsync();

        Assert.Equal(
            Sample.Replace("- name: grafana\n", "- name: grafana\n      version: 7.0.1\n").Replace("\n", "\r\n"),
            File.ReadAllText(path));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_place()
    {
        const string text = """
            spec:
              modules:
              - name: devops
                addons:
                - name: cyclone
                  enable: maybe
                - namespace: x
                - name: [a]
                  version: {v: 1}
              - addons: not-a-list
            """;

        var error = Assert.Throws<ReleaseException>(() => VersionFile.Parse(text, "version.yml"));

        Assert.Equal(
            ["6:15 'enable' must be true or false.", "7:7 the addon's 'name' is missing.", "8:13 the addon's 'name' must be a non-empty string.",
             "9:16 'version' must be a string.", "10:5 the module's 'name' is missing.", "10:13 'addons' must be a list of addons."],
            error.Problems.Select(p => $"{p.Line}:{p.Column} {p.Message}"));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("modules: []\n", "'spec' is missing")]
    [InlineData("spec:\n  addons: []\n", "'spec.modules' is missing")]
    [InlineData("spec:\n  modules: {a: b}\n", "must be a list of modules")]
    public void A_file_without_spec_modules_is_explained(string text, string message)
    {
        var error = Assert.Throws<ReleaseException>(() => VersionFile.Parse(text, "version.yml"));

        Assert.Contains(error.Problems, p => p.Message.Contains(message, StringComparison.Ordinal));
        Assert.All(error.Problems, p => Assert.True(p.Message.Contains(message, StringComparison.Ordinal) || p.Message.StartsWith("unknown key", StringComparison.Ordinal), p.Message));
    }
}
