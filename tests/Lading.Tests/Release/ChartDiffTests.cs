using Lading.Release;
using Lading.Tests.Kubespray;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Release;

/// <summary>A hotfix carries the charts whose meaning changed: parsed YAML for data files, text for templates.</summary>
public sealed class ChartDiffTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-chartdiff");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("addons/a/values.yaml", "image:\n  repository: x\n  tag: 1\n", "image:\n  repository: x   \n  tag: 1\n\n\n", false)]
    [InlineData("addons/a/values.yaml", "image:\n  repository: x\ntag: 1\n", "image:\n  repository: x\n  tag: 1\n", true)]
    [InlineData("addons/a/values.yaml", "replicas: 1\n", "replicas:   1   # two would be too many\n", false)]
    [InlineData("addons/a/values.yaml", "replicas: 1\n", "replicas: \"1\"\n", true)]
    [InlineData("addons/a/Chart.yaml", "name: a\nversion: 1.0.0\n", "version: \"1.0.0\"\nname: a\n", false)]
    [InlineData("addons/a/values.yaml", "enabled: yes\n", "enabled: 'yes'\n", true)]
    [InlineData("addons/a/values.yaml", "list: [a, b]\n", "list:\n- a\n- b\n", false)]
    [InlineData("addons/a/values.yaml", "list: [a, b]\n", "list: [b, a]\n", true)]
    [InlineData("addons/a/templates/deployment.yaml", "spec:\n  replicas: 1\n", "spec:\n    replicas: 1\n", true)]
    [InlineData("addons/a/templates/deployment.yaml", "spec:\n  replicas: 1\n", "spec:\n  replicas: 1   \n\n", false)]
    [InlineData("addons/a/README.md", "# a\n", "#  a\n", true)]
    [InlineData("addons/a/values.yaml", "{{ not: yaml\n", "{{ not: yaml  \n", false)]
    public void A_file_changes_when_what_it_deploys_changes(string path, string before, string after, bool changed) =>
        Assert.Equal(changed, ChartDiff.ChangesMeaning(path, before, after));

    [SkippableFact]
    public void Between_two_tags_a_reindent_that_moves_a_key_ships_and_trailing_spaces_do_not()
    {
        Requires.Tool("git", "git");
        var repo = GitRepo.Init(_folder.Combine("release"))
            .Write("addons/spaces/Chart.yaml", "apiVersion: v2\nname: spaces\nversion: 1.0.0\n").Write("addons/spaces/values.yaml", "replicas: 1\n")
            .Write("addons/moved/Chart.yaml", "apiVersion: v2\nname: moved\nversion: 1.0.0\n").Write("addons/moved/values.yaml", "image:\n  repository: nginx\ntag: 1.25.3\n")
            .Write("addons/comment/Chart.yaml", "apiVersion: v2\nname: comment\nversion: 1.0.0\n").Write("addons/comment/values.yaml", "replicas: 1\n")
            .Write("addons/template/Chart.yaml", "apiVersion: v2\nname: template\nversion: 1.0.0\n").Write("addons/template/templates/cm.yaml", "data:\n  a: b\n")
            .Write("addons/retired/Chart.yaml", "apiVersion: v2\nname: retired\nversion: 1.0.0\n")
            .Write("version.yml", "spec: {modules: []}\n")
            .Commit("v1").Tag("v1.0.0", "v1.0.0");
        repo.Write("addons/spaces/values.yaml", "replicas: 1   \n\n\n")
            .Write("addons/moved/values.yaml", "image:\n  repository: nginx\n  tag: 1.25.3\n")
            .Write("addons/comment/values.yaml", "# scaled on site\nreplicas: 1\n")
            .Write("addons/template/templates/cm.yaml", "data:\n    a: b\n")
            .Delete("addons/retired")
            .Write("addons/added/Chart.yaml", "apiVersion: v2\nname: added\nversion: 1.0.0\n")
            .Commit("v1.0.1").Tag("v1.0.1", "v1.0.1");
        var workspace = ReleaseWorkspace.Open(new ToolHarness().Git(), repo.Path, null, _folder.Combine("work"), _folder.Path, allowDirty: false);

        var (changedCharts, deleted) = workspace.AddonChanges("v1.0.0", "v1.0.1");

        Assert.Equal(["added", "moved", "template"], changedCharts.Order(StringComparer.Ordinal));
        Assert.Equal(["retired"], deleted);
    }
}
