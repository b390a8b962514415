using Cake.Core.IO;
using Lading.Tests.Fixtures;
using Lading.Tools;
using Lading.Tools.Git;
using Lading.Tools.Helm;

namespace Lading.Tests.Tools;

public sealed class ToolCommandLineTests
{
    private readonly RecordingProcessRunner _runner = new();
    private readonly RealCake _cake = new();

    // Any existing file stands in for the executable: the recording runner never starts it.
    private static readonly FilePath Executable = new(typeof(ToolCommandLineTests).Assembly.Location);


    private GitRunner Git() => new(_cake.FileSystem, _cake.Environment, _runner, _cake.Tools);

    private HelmRunner Helm() => new(_cake.FileSystem, _cake.Environment, _runner, _cake.Tools);

    private static GitSettings GitAt => new() { ToolPath = Executable };

    private static HelmSettings HelmAt => new() { ToolPath = Executable };

    [Fact]
    public void Ls_remote_lists_tags_without_cloning_and_pairs_annotated_tags_with_their_commit()
    {
        _runner.Respond = _ => (0,
        [
            "1111111111111111111111111111111111111111\trefs/tags/v1.2.0",
            "2222222222222222222222222222222222222222\trefs/tags/v1.2.0^{}",
            "3333333333333333333333333333333333333333\trefs/tags/controller/v1.0",
        ], []);

        var tags = Git().LsRemoteTags("https://git.example.com/paas/cyclone.git", GitAt);

        Assert.Equal("Lading.Tests.dll ls-remote --tags \"https://git.example.com/paas/cyclone.git\"", Assert.Single(_runner.CommandLines));
        Assert.Equal("0", _runner.Settings[0].EnvironmentVariables["GIT_TERMINAL_PROMPT"]);
        Assert.Equal(
            [new GitRemoteTag("controller/v1.0", "3333333333333333333333333333333333333333", null), new GitRemoteTag("v1.2.0", "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222")],
            tags);
    }

    [Fact]
    public void Fetching_a_tag_is_shallow_and_fetches_nothing_else()
    {
        using var folder = new TempFolder();

        Git().FetchTag(new DirectoryPath(folder.Path), "file:///srv/git/cyclone", "v1.2.0", GitAt);

        Assert.Equal(
        [
            $"Lading.Tests.dll init --quiet \"{folder.Path}\"",
            $"Lading.Tests.dll -C \"{folder.Path}\" fetch --quiet --depth=1 --no-tags \"file:///srv/git/cyclone\" \"+refs/tags/v1.2.0:refs/tags/v1.2.0\"",
            $"Lading.Tests.dll -C \"{folder.Path}\" checkout --quiet --force --detach \"refs/tags/v1.2.0\"",
        ], _runner.CommandLines);
    }

    [Fact]
    public void Tags_are_annotated_and_diffs_ignore_whitespace()
    {
        var repo = new DirectoryPath("/srv/release");

        Git().Tag(repo, "v2.10.2", "cyclone v1.2.0", settings: GitAt);
        Git().DiffNameStatus(repo, "v2.10.1", "v2.10.2", "addons/", GitAt);
        Git().Checkout(repo, "lading/release-v2.10.2", create: true, settings: GitAt);

        Assert.Equal(
        [
            "Lading.Tests.dll -C \"/srv/release\" tag --annotate \"v2.10.2\" --message \"cyclone v1.2.0\" \"HEAD\"",
            "Lading.Tests.dll -C \"/srv/release\" diff --name-status --ignore-all-space --no-renames \"v2.10.1..v2.10.2\" -- \"addons/\"",
            "Lading.Tests.dll -C \"/srv/release\" checkout --quiet -B \"lading/release-v2.10.2\"",
        ], _runner.CommandLines);
    }

    [Fact]
    public void A_new_repository_names_its_first_branch_whatever_the_machine_config_says()
    {
        Git().Init(new DirectoryPath("/srv/release"), settings: GitAt);

        Assert.Equal("Lading.Tests.dll init --quiet --initial-branch \"main\" \"/srv/release\"", Assert.Single(_runner.CommandLines));
    }

    [Fact]
    public void A_failing_command_reports_what_the_tool_said()
    {
        _runner.Respond = _ => (128, [], ["fatal: couldn't find remote ref refs/tags/v9.9.9"]);

        var error = Assert.Throws<ToolException>(() => Git().FetchTag(new DirectoryPath("/nonexistent/repo"), "file:///srv/git/x", "v9.9.9", GitAt));

        Assert.Equal(128, error.ExitCode);
        Assert.Contains("fatal: couldn't find remote ref refs/tags/v9.9.9", error.Message);
        Assert.Contains("init --quiet", error.Message);
    }

    [Fact]
    public void Helm_template_renders_with_release_name_namespace_and_values()
    {
        _runner.Respond = _ => (0, ["kind: Deployment"], []);

        var rendered = Helm().Template("addons/cyclone", "cyclone", "devops-system", ["values-site.yaml"], HelmAt);

        Assert.Equal("kind: Deployment", rendered);
        Assert.Equal("Lading.Tests.dll template \"cyclone\" \"addons/cyclone\" --namespace \"devops-system\" --values \"values-site.yaml\"", Assert.Single(_runner.CommandLines));
    }

    [Fact]
    public void Helm_version_lint_show_and_package_command_lines()
    {
        Helm().Version(HelmAt);
        Helm().Lint("out/cyclone-1.2.0.tgz", HelmAt);
        Helm().ShowChart("out/cyclone-1.2.0.tgz", HelmAt);
        Helm().Package("addons/cyclone", "out", HelmAt);

        Assert.Equal(
        [
            "Lading.Tests.dll version --short",
            "Lading.Tests.dll lint \"out/cyclone-1.2.0.tgz\"",
            "Lading.Tests.dll show chart \"out/cyclone-1.2.0.tgz\"",
            "Lading.Tests.dll package \"addons/cyclone\" --destination \"out\"",
        ], _runner.CommandLines);
    }

    [Fact]
    public void Helm_missing_from_the_settings_path_is_reported_unavailable()
    {
        Assert.False(Helm().IsAvailable(new HelmSettings { ToolPath = "/nonexistent/helm" }));
        Assert.True(Helm().IsAvailable(HelmAt));
    }
}
