using System.Text.Json;
using Lading.Forge;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Forge;

/// <summary>GitHubForge against a loopback GitHub API that records what Octokit sends.</summary>
public sealed class GitHubForgeTests : IDisposable
{
    private const string Token = "ghp-test-token-4242";
    private const string Pulls = "/api/v3/repos/paas/platform-release/pulls";
    private readonly FakeGitHubPulls _github = new("paas", "platform-release");

    private RecordingHttpServer Server => _github.Server;

    private List<Dictionary<string, object?>> Open => _github.Open;

    public void Dispose() => _github.Dispose();

    private static PullRequestProposal Proposal(string body = "| component | old | new |\n|---|---|---|\n| cyclone | v1.2.0 | v1.2.1 |") =>
        new("paas/platform-release", "lading/release-v2.10.2", "release-2.10", "Release v2.10.2", body);

    private GitHubForge Forge(Uri? url = null) => new(new ForgeConnection(url ?? Server.BaseAddress, Token, "GITHUB_TOKEN"));

    private Dictionary<string, object?> Pr(int number, string title, string? body, string head, string @base) => _github.Pr(number, title, body, head, @base);

    [Fact]
    public async Task Opens_a_pull_request_when_none_is_open_for_the_branch()
    {
        var result = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.Opened, result.Outcome);
        Assert.Equal(41, result.Number);
        Assert.Equal("https://github.example.com/paas/platform-release/pull/41", result.Url);
        Assert.Equal(["GET " + Pulls, "POST " + Pulls], Server.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal("?state=open&head=paas%3Alading%2Frelease-v2.10.2&sort=created&direction=desc", Server.Requests[0].Query);
        Assert.All(Server.Requests, r => Assert.Equal("Token " + Token, r.Header("Authorization")));
        var sent = Server.Requests[1].Json();
        Assert.Equal("Release v2.10.2", sent.GetProperty("title").GetString());
        Assert.Equal("lading/release-v2.10.2", sent.GetProperty("head").GetString());
        Assert.Equal("release-2.10", sent.GetProperty("base").GetString());
        Assert.Equal(Proposal().Body, sent.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Proposing_again_with_a_new_body_updates_the_open_pull_request_instead_of_opening_another()
    {
        await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        var result = await Forge().ProposeAsync(Proposal("now with cyclone v1.2.2"), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.Updated, result.Outcome);
        Assert.Equal(41, result.Number);
        Assert.Single(Open);
        Assert.Equal(["GET", "POST", "GET", "PATCH"], Server.Requests.Select(r => r.Method));
        var patch = Server.Requests[3];
        Assert.Equal(Pulls + "/41", patch.Path);
        Assert.Equal("now with cyclone v1.2.2", patch.Json().GetProperty("body").GetString());
        Assert.Equal("Release v2.10.2", patch.Json().GetProperty("title").GetString());
        Assert.False(patch.Json().TryGetProperty("base", out var b) && b.ValueKind != JsonValueKind.Null, "the target did not change, so it is not sent");
    }

    [Fact]
    public async Task Proposing_the_same_thing_twice_opens_nothing_the_second_time()
    {
        await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        var again = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.Unchanged, again.Outcome);
        Assert.True(again.OpenedNothing);
        Assert.Equal(41, again.Number);
        Assert.Equal(["GET", "POST", "GET"], Server.Requests.Select(r => r.Method));
        Assert.Contains("already open", again.Describe());
    }

    [Fact]
    public async Task A_pull_request_open_for_another_branch_is_left_alone()
    {
        Open.Add(Pr(7, "Other work", "x", "feature/other", "release-2.10"));

        var result = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.Opened, result.Outcome);
        Assert.Equal(2, Open.Count);
        Assert.Equal("Other work", Open[0]["title"]);
    }

    [Fact]
    public async Task An_enterprise_address_that_already_ends_in_api_v3_is_used_as_it_is()
    {
        await Forge(new Uri(Server.BaseAddress, "api/v3/")).ProposeAsync(Proposal(), CancellationToken.None);

        Assert.All(Server.Requests, r => Assert.StartsWith("/api/v3/repos/", r.Path));
    }

    [Fact]
    public async Task A_refused_token_is_named_by_its_variable_and_never_shown()
    {
        Server.Answer(_ => RecordedResponse.Json(401, new { message = "Bad credentials" }));

        var e = await Assert.ThrowsAsync<ForgeException>(() => Forge().ProposeAsync(Proposal(), CancellationToken.None));

        Assert.Equal("github", e.Forge);
        Assert.Equal("paas/platform-release", e.Project);
        Assert.Contains("the token in GITHUB_TOKEN was refused", e.Message);
        Assert.DoesNotContain(Token, e.ToString());
    }

    [Fact]
    public async Task A_project_the_token_cannot_see_is_reported_as_not_found()
    {
        Server.Answer(_ => RecordedResponse.Json(404, new { message = "Not Found" }));

        var e = await Assert.ThrowsAsync<ForgeException>(() => Forge().ProposeAsync(Proposal(), CancellationToken.None));

        Assert.Contains("paas/platform-release was not found", e.Message);
        Assert.Contains("GITHUB_TOKEN", e.Message);
    }

    [Fact]
    public async Task A_refused_pull_request_carries_GitHubs_reason()
    {
        Server.Answer(r => r.Method == "GET"
            ? RecordedResponse.Json(200, Array.Empty<object>())
            : RecordedResponse.Json(422, new { message = "Validation Failed", errors = new[] { new { resource = "PullRequest", code = "custom", message = "No commits between release-2.10 and lading/release-v2.10.2" } } }));

        var e = await Assert.ThrowsAsync<ForgeException>(() => Forge().ProposeAsync(Proposal(), CancellationToken.None));

        Assert.Contains("No commits between release-2.10 and lading/release-v2.10.2", e.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_forge_error_naming_the_server()
    {
        var dead = new Uri($"http://127.0.0.1:{FreePort.Next()}/");

        var e = await Assert.ThrowsAsync<ForgeException>(() => Forge(dead).ProposeAsync(Proposal(), CancellationToken.None));

        Assert.Contains($"{dead.Authority} could not be reached", e.Message);
    }

    [Fact]
    public async Task A_missing_token_fails_before_any_request()
    {
        var forge = new GitHubForge(new ForgeConnection(Server.BaseAddress, "", "GITHUB_TOKEN"));

        var e = await Assert.ThrowsAsync<ForgeException>(() => forge.ProposeAsync(Proposal(), CancellationToken.None));

        Assert.Contains("GITHUB_TOKEN is empty or not set", e.Message);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task A_project_not_written_owner_slash_name_is_refused()
    {
        var e = await Assert.ThrowsAsync<ForgeException>(() => Forge().ProposeAsync(Proposal() with { Project = "group/sub/repo" }, CancellationToken.None));

        Assert.Contains("owner/name", e.Message);
        Assert.Empty(Server.Requests);
    }
    [Fact]
    public async Task A_body_edited_in_the_browser_with_crlf_line_ends_is_still_the_same_body()
    {
        Open.Add(Pr(9, "Release v2.10.2", Proposal().Body.Replace("\n", "\r\n") + "\r\n", "lading/release-v2.10.2", "release-2.10"));

        var result = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.Unchanged, result.Outcome);
        Assert.Equal(["GET"], Server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task A_new_target_branch_is_sent_with_the_update()
    {
        Open.Add(Pr(9, "Release v2.10.2", Proposal().Body, "lading/release-v2.10.2", "main"));

        var result = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.Updated, result.Outcome);
        Assert.Equal("release-2.10", Server.Requests[^1].Json().GetProperty("base").GetString());
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_a_forge_error()
    {
        Server.Answer(_ => new RecordedResponse(200, "[]", Delay: TimeSpan.FromSeconds(10)));
        var forge = new GitHubForge(new ForgeConnection(Server.BaseAddress, Token, "GITHUB_TOKEN") { Timeout = TimeSpan.FromMilliseconds(300) });

        var e = await Assert.ThrowsAsync<ForgeException>(() => forge.ProposeAsync(Proposal(), CancellationToken.None));

        Assert.Contains($"127.0.0.1:{Server.Port} did not answer within 0.3 s", e.Message);
    }

    [Fact]
    public async Task Cancelling_the_build_cancels_the_call_rather_than_reporting_a_forge_error()
    {
        Server.Answer(_ => new RecordedResponse(200, "[]", Delay: TimeSpan.FromSeconds(10)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Forge().ProposeAsync(Proposal(), cancel.Token));
    }
}
