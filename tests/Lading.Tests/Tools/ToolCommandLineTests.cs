using Cake.Core.IO;
using Lading.Tests.Fixtures;
using Lading.Tools;
using Lading.Tools.Git;
using Lading.Tools.Helm;

namespace Lading.Tests.Tools;

public sealed class ToolCommandLineTests : IDisposable
{
    private readonly ToolFixture _tools = new("git", "helm");

    private RecordingProcessRunner Runner => _tools.Runner;

    public void Dispose() => _tools.Dispose();

    private GitRunner Git() => new(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools);

    private HelmRunner Helm() => new(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools);

    [Fact]
    public void Ls_remote_lists_tags_without_cloning_and_pairs_annotated_tags_with_their_commit()
    {
        Runner.Respond = _ => (0,
        [
            "1111111111111111111111111111111111111111\trefs/tags/v1.2.0",
            "2222222222222222222222222222222222222222\trefs/tags/v1.2.0^{}",
            "3333333333333333333333333333333333333333\trefs/tags/controller/v1.0",
        ], []);

        var tags = Git().LsRemoteTags("https://git.example.com/paas/cyclone.git");

        Assert.Equal("git ls-remote --tags \"https://git.example.com/paas/cyclone.git\"", Assert.Single(Runner.CommandLines));
        Assert.Equal("0", Runner.Settings[0].EnvironmentVariables["GIT_TERMINAL_PROMPT"]);
        // Some of git's messages are read (a ref the server lacks): they are English whatever the agent's language.
        Assert.Equal("C.UTF-8", Runner.Settings[0].EnvironmentVariables["LC_ALL"]);
        Assert.Equal(
            [new GitRemoteTag("controller/v1.0", "3333333333333333333333333333333333333333", null), new GitRemoteTag("v1.2.0", "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222")],
            tags);
    }

    [Fact]
    public void Fetching_a_tag_is_shallow_and_fetches_nothing_else()
    {
        using var folder = new TempFolder();

        Git().FetchTag(new DirectoryPath(folder.Path), "file:///srv/git/cyclone", "v1.2.0");

        Assert.Equal(
        [
            $"git init --quiet \"{folder.Path}\"",
            $"git -C \"{folder.Path}\" fetch --quiet --depth=1 --no-tags \"file:///srv/git/cyclone\" \"+refs/tags/v1.2.0:refs/tags/v1.2.0\"",
            $"git -C \"{folder.Path}\" checkout --quiet --force --detach \"refs/tags/v1.2.0\"",
        ], Runner.CommandLines);
    }

    [Fact]
    public void The_files_of_chart_paths_a_partial_clone_lacks_are_fetched_in_one_request_without_housekeeping()
    {
        var repo = new DirectoryPath("/work/components/charts/git");
        Runner.Respond = line => line.Contains(" ls-tree ", StringComparison.Ordinal)
            ? (0,
            [
                "100644 blob aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\tcharts/redis/Chart.yaml",
                "120000 blob bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\tcharts/redis/templates/NOTES.txt",
                "160000 commit cccccccccccccccccccccccccccccccccccccccc\tcharts/redis/vendor",
                "100644 blob dddddddddddddddddddddddddddddddddddddddd\tcharts/redis/values.yaml",
            ], [])
            : (0, ["dddddddddddddddddddddddddddddddddddddddd", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"], []);

        var missing = Git().MissingBlobs(repo, "refs/tags/redis/18.1.0", ["charts/redis"]);
        Git().FetchObjects(repo, "https://git.example.com/vendor/charts", missing);

        Assert.Equal(["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"], missing);
        Assert.Equal(
        [
            "git -C \"/work/components/charts/git\" ls-tree -r \"refs/tags/redis/18.1.0\" -- \"charts/redis\"",
            "git -C \"/work/components/charts/git\" cat-file --batch-check=%(objectname) --batch-all-objects",
            "git -C \"/work/components/charts/git\" -c maintenance.auto=false -c gc.auto=0 -c fetch.negotiationAlgorithm=noop fetch --quiet --no-tags --no-write-fetch-head --recurse-submodules=no --filter=blob:none "
                + "\"https://git.example.com/vendor/charts\" aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        ], Runner.CommandLines);
    }

    [Fact]
    public void A_monorepo_named_by_several_entries_is_asked_for_its_tags_once()
    {
        Runner.Respond = _ => (0, ["1111111111111111111111111111111111111111\trefs/tags/kube-state-metrics-5.15.2", "2222222222222222222222222222222222222222\trefs/tags/prometheus-node-exporter-4.24.0"], []);
        var checkouts = new Lading.Release.ComponentCheckouts(Git(), "https://git.example.com", "/work/components");
        Lading.Release.ComponentRepo Entry(string tag, string path) => new("community/helm-charts", null, tag, [path], "addons", "repos/monitoring.yaml", 1, 1);

        var first = checkouts.RemoteTags(Entry("kube-state-metrics-5.15.2", "charts/kube-state-metrics"));
        var second = checkouts.RemoteTags(Entry("prometheus-node-exporter-4.24.0", "charts/prometheus-node-exporter"));

        Assert.Equal(["kube-state-metrics-5.15.2", "prometheus-node-exporter-4.24.0"], second.Select(t => t.Name));
        Assert.Same(first, second);
        Assert.Equal("git ls-remote --tags \"https://git.example.com/community/helm-charts\"", Assert.Single(Runner.CommandLines));
    }

    [Fact]
    public void Tags_are_annotated_and_diffs_ignore_whitespace()
    {
        var repo = new DirectoryPath("/srv/release");

        Git().Tag(repo, "v2.10.2", "cyclone v1.2.0");
        Git().DiffNameStatus(repo, "v2.10.1", "v2.10.2", "addons/");
        Git().Checkout(repo, "lading/release-v2.10.2", create: true);

        Assert.Equal(
        [
            "git -C \"/srv/release\" tag --annotate \"v2.10.2\" --message \"cyclone v1.2.0\" \"HEAD\"",
            "git -C \"/srv/release\" diff --name-status --no-renames \"v2.10.1..v2.10.2\" -- \"addons/\"",
            "git -C \"/srv/release\" checkout --quiet -B \"lading/release-v2.10.2\"",
        ], Runner.CommandLines);
    }

    [Fact]
    public void A_new_repository_names_its_first_branch_whatever_the_machine_config_says()
    {
        Git().Init(new DirectoryPath("/srv/release"));

        Assert.Equal("git init --quiet --initial-branch \"main\" \"/srv/release\"", Assert.Single(Runner.CommandLines));
    }

    [Fact]
    public void A_failing_command_reports_what_the_tool_said()
    {
        Runner.Respond = _ => (128, [], ["fatal: couldn't find remote ref refs/tags/v9.9.9"]);

        var error = Assert.Throws<ToolException>(() => Git().FetchTag(new DirectoryPath("/nonexistent/repo"), "file:///srv/git/x", "v9.9.9"));

        Assert.Equal(128, error.ExitCode);
        Assert.Contains("fatal: couldn't find remote ref refs/tags/v9.9.9", error.Message);
        Assert.Contains("init --quiet", error.Message);
    }

    [Fact]
    public void Helm_template_renders_with_release_name_namespace_and_values()
    {
        Runner.Respond = _ => (0, ["kind: Deployment"], []);

        var rendered = Helm().Template("addons/cyclone", "cyclone", "devops-system", ["values-site.yaml"]);

        Assert.Equal("kind: Deployment", rendered);
        Assert.Equal("helm template \"cyclone\" \"addons/cyclone\" --namespace \"devops-system\" --values \"values-site.yaml\"", Assert.Single(Runner.CommandLines));
    }

    [Fact]
    public void Helm_template_gives_string_values_as_install_sh_does()
    {
        Helm().Template("charts/gateway-v1.25.3.tgz", "gateway", "kube-system", stringValues: new Dictionary<string, string> { ["global.imageRegistry"] = "site.local:5443" });

        Assert.Equal("helm template \"gateway\" \"charts/gateway-v1.25.3.tgz\" --namespace \"kube-system\" --set-string \"global.imageRegistry=site.local:5443\"", Assert.Single(Runner.CommandLines));
    }

    [Fact]
    public void Helm_version_lint_show_and_package_command_lines()
    {
        Helm().Version();
        Helm().Lint("out/cyclone-1.2.0.tgz");
        Helm().ShowChart("out/cyclone-1.2.0.tgz");
        Helm().Package("addons/cyclone", "out");

        Assert.Equal(
        [
            "helm version --short",
            "helm lint \"out/cyclone-1.2.0.tgz\"",
            "helm show chart \"out/cyclone-1.2.0.tgz\"",
            "helm package \"addons/cyclone\" --destination \"out\"",
        ], Runner.CommandLines);
    }

    [Fact]
    public void Helm_missing_from_the_settings_path_is_reported_unavailable()
    {
        Assert.False(Helm().IsAvailable(new HelmSettings { ToolPath = "/nonexistent/helm" }));
        Assert.True(Helm().IsAvailable(new HelmSettings { ToolPath = _tools.Path("helm") }));
        Assert.True(Helm().IsAvailable());
    }
}
