using Cake.Core;
using Lading.Recipes;
using Lading.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Lading.Tests.Pipeline;

/// <summary>./build.sh --target=Release with a recipe: a release repo behind a git URL, five component repos, a GitHub API and a chat.</summary>
public sealed class ReleaseEndToEndTests : IDisposable
{
    private const string Token = "ghp-release-token-777";
    private readonly ReleaseWorld _world = new();
    private readonly FakeGitHubPulls _github = new("paas", "platform-release");
    private readonly RecordingHttpServer _chat = new(_ => new RecordedResponse(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
    private readonly string _origin;

    public ReleaseEndToEndTests()
    {
        _origin = Path.Combine(_world.Root, "origin.git");
        Shell.Run("git", ["clone", "--quiet", "--bare", _world.Release.Path, _origin]);
        File.WriteAllText(Path.Combine(_world.Root, "release.yaml"), $"""
            name: platform
            releaseRepo: file://{_origin}
            branch: main
            gitBaseUrl: {_world.GitBaseUrl}
            work: work
            forge:
              kind: github
              url: {_github.Server.BaseAddress}
              project: paas/platform-release
              tokenEnv: RELEASE_GITHUB_TOKEN
            notify:
              - kind: wecom
                urlEnv: WECOM_URL
            """);
    }

    public void Dispose()
    {
        _chat.Dispose();
        _github.Dispose();
        _world.Dispose();
    }

    private HostRun Build(params string[] args) =>
        HostHarness.RunLading(
            _world.Root,
            new Dictionary<string, string> { ["RELEASE_GITHUB_TOKEN"] = Token, ["WECOM_URL"] = new Uri(_chat.BaseAddress, "cgi-bin/webhook/send?key=secret-key").ToString() },
            ["--recipe=release.yaml", .. args]);

    private string Origin(params string[] args) => Shell.Run("git", ["-C", _origin, .. args]).Output;

    [SkippableFact]
    public void Release_proposes_one_pull_request_and_a_second_run_opens_nothing()
    {
        var helm = Requires.Helm();

        var first = Build("--target=Release", "--version=v2.11.0", $"--helm={helm}");

        Assert.True(first.ExitCode == 0, first.Output);
        var changed = Origin("diff", "--name-only", "main", "lading/release-v2.11.0").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("repos/plain.yaml", changed);
        Assert.Contains("repos/set.yaml", changed);
        Assert.Contains("version.yml", changed);
        Assert.Contains("images/images_platform.list", changed);
        Assert.Contains("images/provenance.yaml", changed);
        Assert.Contains("addons/cyclone/Chart.yaml", changed);
        Assert.Contains("addons/cyclone/old-file.txt", changed);

        var pull = Assert.Single(_github.Open);
        Assert.Equal("Release v2.11.0", pull["title"]);
        Assert.Equal("main", ((Dictionary<string, object?>)pull["base"]!)["ref"]);
        Assert.Contains("| acme/cyclone | v1.2.0 | v1.2.1 |", (string)pull["body"]!);
        Assert.Contains("+ quay.io/acme/cyclone:v1.2.1", (string)pull["body"]!);
        Assert.All(_github.Server.Requests, r => Assert.Equal("Token " + Token, r.Header("Authorization")));
        var notice = Assert.Single(_chat.Requests);
        Assert.Equal("/cgi-bin/webhook/send", notice.Path);
        Assert.Equal("markdown", notice.Json().GetProperty("msgtype").GetString());
        Assert.Contains("acme/cyclone", notice.Body);
        Assert.DoesNotContain(Token, first.Output);
        Assert.DoesNotContain("secret-key", first.Output);

        var second = Build("--target=Release", "--version=v2.11.0", $"--helm={helm}");

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Single(_github.Open);
        Assert.Equal(1, _github.Server.Requests.Count(r => r.Method == "POST"));
        Assert.Contains("No new pull request", second.Output);
        Assert.Single(_chat.Requests);
    }

    [SkippableFact]
    public async Task Missing_images_go_into_the_proposal_with_their_owners_and_the_run_ends_failed()
    {
        var helm = Requires.Helm();
        _world.Release.Write("repos/plain.yaml", File.ReadAllText(Path.Combine(_world.Release.Path, "repos/plain.yaml"))
                .Replace("  chartPaths: [manifests/cyclone]\n", "  chartPaths: [manifests/cyclone]\n  owners: [zhangsan, lisi@example.com]\n"))
            .Commit("owners of cyclone");
        Shell.Run("git", ["-C", _world.Release.Path, "push", "--quiet", _origin, "main"]);
        await using var registry = await DockerRegistry.StartAsync(null, readOnly: false);

        var run = Build("--target=Release", "--version=v2.11.0", $"--helm={helm}", $"--registry={registry.Host}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("5 image(s) are missing from the internal registry; the proposal lists them for their owners", run.Output);
        var body = (string)Assert.Single(_github.Open)["body"]!;
        Assert.Contains("Missing from the internal registry (5)", body);
        Assert.True(body.Contains("quay.io/acme/cyclone:v1.2.1 (needed by cyclone; owners: zhangsan, lisi@example.com): not found"), body);
        Assert.Contains("Owners: zhangsan, lisi@example.com", body);
        Assert.Contains("| acme/cyclone | v1.2.0 | v1.2.1 |", body);
        var notice = Assert.Single(_chat.Requests).Json().GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.Contains("<@zhangsan> lisi@example.com", notice);
        Assert.Contains("quay.io/acme/cyclone:v1.2.1 (needed by cyclone; owners: zhangsan, lisi@example.com)", notice);
        Assert.True(File.Exists(Path.Combine(_world.Root, "artifacts", "check-images.xml")));
    }

    [Fact]
    public void Without_changes_the_pipeline_proposes_nothing_and_says_so()
    {
        var run = Build("--target=ProposeRelease", "--exclusive");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Nothing changed in the release repo", run.Output);
        Assert.Empty(_github.Server.Requests);
        Assert.Empty(_chat.Requests);
    }
}
