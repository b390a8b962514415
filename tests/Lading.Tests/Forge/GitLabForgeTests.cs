using System.Text.Json;
using Lading.Forge;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Forge;

/// <summary>GitLabForge against a loopback GitLab API v4 that records every request.</summary>
public sealed class GitLabForgeTests : IDisposable
{
    private const string Token = "glpat-test-token-77";
    private const string MergeRequests = "/api/v4/projects/paas%2Freleases%2Fplatform-release/merge_requests";
    private readonly RecordingHttpServer _server = new();
    private readonly List<Dictionary<string, object?>> _open = [];
    private readonly List<GitLabForge> _forges = [];

    public GitLabForgeTests() => _server.Answer(FakeGitLab);

    public void Dispose()
    {
        _forges.ForEach(f => f.Dispose());
        _server.Dispose();
    }

    private static PullRequestProposal Proposal(string body = "| component | old | new |\n|---|---|---|\n| cyclone | v1.2.0 | v1.2.1 |") =>
        new("paas/releases/platform-release", "lading/release-v2.10.2", "release-2.10", "Release v2.10.2", body);

    private GitLabForge Forge(Uri? url = null)
    {
        var forge = new GitLabForge(new ForgeConnection(url ?? _server.BaseAddress, Token, "GITLAB_TOKEN"));
        _forges.Add(forge);
        return forge;
    }

    // Enough of GitLab's merge request API to list, open and edit; the source_branch filter is honoured as GitLab does.
    private RecordedResponse FakeGitLab(RecordedRequest request)
    {
        lock (_open)
        {
            if (request.Method == "GET" && request.Path == MergeRequests)
            {
                var source = Uri.UnescapeDataString(request.Query.Split('&', '?').First(p => p.StartsWith("source_branch=", StringComparison.Ordinal))["source_branch=".Length..]);
                return RecordedResponse.Json(200, _open.Where(mr => (string?)mr["source_branch"] == source));
            }

            if (request.Method == "POST" && request.Path == MergeRequests)
            {
                var sent = request.Json();
                var iid = 12 + _open.Count;
                var mr = new Dictionary<string, object?>
                {
                    ["id"] = 9000 + iid,
                    ["iid"] = iid,
                    ["state"] = "opened",
                    ["title"] = sent.GetProperty("title").GetString(),
                    ["description"] = sent.GetProperty("description").GetString(),
                    ["source_branch"] = sent.GetProperty("source_branch").GetString(),
                    ["target_branch"] = sent.GetProperty("target_branch").GetString(),
                    ["web_url"] = $"https://gitlab.example.com/paas/releases/platform-release/-/merge_requests/{iid}",
                };
                _open.Add(mr);
                return RecordedResponse.Json(201, mr);
            }

            if (request.Method == "PUT" && request.Path.StartsWith(MergeRequests + "/", StringComparison.Ordinal))
            {
                var mr = _open.Single(m => (int)m["iid"]! == int.Parse(request.Path[(MergeRequests.Length + 1)..]));
                foreach (var field in request.Json().EnumerateObject())
                {
                    mr[field.Name] = field.Value.GetString();
                }

                return RecordedResponse.Json(200, mr);
            }

            return RecordedResponse.Json(404, new { message = "404 Project Not Found" });
        }
    }

    [Fact]
    public async Task Opens_a_merge_request_when_none_is_open_for_the_branch()
    {
        var result = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.Opened, result.Outcome);
        Assert.Equal(12, result.Number);
        Assert.Equal("https://gitlab.example.com/paas/releases/platform-release/-/merge_requests/12", result.Url);
        Assert.Equal(
            ["GET " + MergeRequests + "?state=opened&source_branch=lading%2Frelease-v2.10.2", "POST " + MergeRequests],
            _server.Requests.Select(r => r.ToString()));
        Assert.All(_server.Requests, r => Assert.Equal(Token, r.Header("PRIVATE-TOKEN")));
        Assert.All(_server.Requests, r => Assert.Null(r.Header("Authorization")));
        var sent = _server.Requests[1].Json();
        Assert.Equal(
            ["title", "description", "target_branch", "source_branch"],
            sent.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Release v2.10.2", sent.GetProperty("title").GetString());
        Assert.Equal(Proposal().Body, sent.GetProperty("description").GetString());
        Assert.Equal("release-2.10", sent.GetProperty("target_branch").GetString());
        Assert.Equal("lading/release-v2.10.2", sent.GetProperty("source_branch").GetString());
        Assert.StartsWith("application/json", _server.Requests[1].Header("Content-Type"));
    }

    [Fact]
    public async Task Proposing_again_with_a_new_body_updates_the_open_merge_request_instead_of_opening_another()
    {
        await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        var result = await Forge().ProposeAsync(Proposal("now with cyclone v1.2.2"), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.Updated, result.Outcome);
        Assert.Equal(12, result.Number);
        Assert.Single(_open);
        Assert.Equal(["GET", "POST", "GET", "PUT"], _server.Requests.Select(r => r.Method));
        var put = _server.Requests[3];
        Assert.Equal(MergeRequests + "/12", put.Path);
        Assert.Equal(["title", "description"], put.Json().EnumerateObject().Select(p => p.Name));
        Assert.Equal("now with cyclone v1.2.2", put.Json().GetProperty("description").GetString());
        Assert.Contains("updated the open merge request !12", result.Describe());
    }

    [Fact]
    public async Task A_new_target_branch_is_sent_with_the_update()
    {
        await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        await Forge().ProposeAsync(Proposal() with { TargetBranch = "release-2.10/acme" }, CancellationToken.None);

        Assert.Equal("release-2.10/acme", _server.Requests[^1].Json().GetProperty("target_branch").GetString());
        Assert.Equal("release-2.10/acme", _open.Single()["target_branch"]);
    }

    [Fact]
    public async Task Proposing_the_same_thing_twice_opens_nothing_the_second_time()
    {
        await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        var again = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.Unchanged, again.Outcome);
        Assert.Equal(["GET", "POST", "GET"], _server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task A_merge_request_opened_by_a_concurrent_run_is_updated_rather_than_failing()
    {
        var listed = 0;
        _server.Answer(r => r.Method switch
        {
            "GET" when Interlocked.Increment(ref listed) == 1 => RecordedResponse.Json(200, Array.Empty<object>()),
            "GET" => RecordedResponse.Json(200, new[] { new { iid = 5, title = "Release", description = "old", source_branch = "lading/release-v2.10.2", target_branch = "release-2.10", web_url = "https://gitlab.example.com/mr/5" } }),
            "POST" => RecordedResponse.Json(409, new { message = new[] { "Another open merge request already exists for this source branch: !5" } }),
            _ => RecordedResponse.Json(200, new { iid = 5, title = "Release v2.10.2", description = "x", web_url = "https://gitlab.example.com/mr/5" }),
        });

        var result = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.Updated, result.Outcome);
        Assert.Equal(5, result.Number);
        Assert.Equal(["GET", "POST", "GET", "PUT"], _server.Requests.Select(r => r.Method));
        Assert.Equal(MergeRequests + "/5", _server.Requests[3].Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("api/v4")]
    [InlineData("api/v4/")]
    public void The_address_may_be_the_server_or_its_api_root(string suffix)
    {
        var forge = Forge(new Uri(_server.BaseAddress, suffix));

        Assert.Equal(new Uri(_server.BaseAddress, "api/v4/"), forge.ApiUrl);
    }

    [Fact]
    public void Without_an_address_the_forge_is_gitlab_com()
    {
        using var forge = new GitLabForge(new ForgeConnection(null, Token, "GITLAB_TOKEN"));

        Assert.Equal("https://gitlab.com/api/v4/", forge.ApiUrl.ToString());
    }

    [Fact]
    public async Task A_refused_token_is_named_by_its_variable_and_never_shown()
    {
        _server.Answer(_ => RecordedResponse.Json(401, new { message = "401 Unauthorized" }));

        var e = await Assert.ThrowsAsync<ForgeException>(() => Forge().ProposeAsync(Proposal(), CancellationToken.None));

        Assert.Equal("gitlab", e.Forge);
        Assert.Equal("paas/releases/platform-release", e.Project);
        Assert.Equal("gitlab (paas/releases/platform-release): the token in GITLAB_TOKEN was refused", e.Message);
        Assert.DoesNotContain(Token, e.ToString());
    }

    [Fact]
    public async Task A_project_the_token_cannot_see_is_reported_as_not_found()
    {
        _server.Answer(_ => RecordedResponse.Json(404, new { message = "404 Project Not Found" }));

        var e = await Assert.ThrowsAsync<ForgeException>(() => Forge().ProposeAsync(Proposal(), CancellationToken.None));

        Assert.Contains($"paas/releases/platform-release was not found on 127.0.0.1:{_server.Port}, or the token in GITLAB_TOKEN cannot see it", e.Message);
    }

    [Fact]
    public async Task A_refused_merge_request_carries_GitLabs_reason()
    {
        _server.Answer(r => r.Method == "GET"
            ? RecordedResponse.Json(200, Array.Empty<object>())
            : RecordedResponse.Json(422, new { message = new { source_branch = new[] { "does not exist" } } }));

        var e = await Assert.ThrowsAsync<ForgeException>(() => Forge().ProposeAsync(Proposal(), CancellationToken.None));

        Assert.Contains("GitLab refused the merge request from lading/release-v2.10.2 into release-2.10: source_branch does not exist", e.Message);
    }

    [Fact]
    public async Task An_error_page_that_echoes_the_token_is_masked()
    {
        _server.Answer(_ => new RecordedResponse(502, $"bad gateway for token {Token}", "text/plain"));

        var e = await Assert.ThrowsAsync<ForgeException>(() => Forge().ProposeAsync(Proposal(), CancellationToken.None));

        Assert.Contains("GitLab answered 502", e.Message);
        Assert.DoesNotContain(Token, e.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_forge_error_naming_the_server()
    {
        var dead = new Uri($"http://127.0.0.1:{FreePort.Next()}/");

        var e = await Assert.ThrowsAsync<ForgeException>(() => Forge(dead).ProposeAsync(Proposal(), CancellationToken.None));

        Assert.Contains($"{dead.Authority} could not be reached", e.Message);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_a_forge_error()
    {
        _server.Answer(_ => new RecordedResponse(200, "[]", Delay: TimeSpan.FromSeconds(10)));
        using var forge = new GitLabForge(new ForgeConnection(_server.BaseAddress, Token, "GITLAB_TOKEN") { Timeout = TimeSpan.FromMilliseconds(300) });

        var e = await Assert.ThrowsAsync<ForgeException>(() => forge.ProposeAsync(Proposal(), CancellationToken.None));

        Assert.Contains("did not answer within", e.Message);
    }

    [Fact]
    public async Task Cancelling_the_build_cancels_the_call_rather_than_reporting_a_forge_error()
    {
        _server.Answer(_ => new RecordedResponse(200, "[]", Delay: TimeSpan.FromSeconds(10)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Forge().ProposeAsync(Proposal(), cancel.Token));
    }
}
