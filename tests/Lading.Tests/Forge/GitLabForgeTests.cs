using Lading.Forge;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Forge;

/// <summary>GitLabForge against a loopback GitLab API v4 that records every request.</summary>
public sealed class GitLabForgeTests : ForgeContract
{
    private const string MergeRequests = "/api/v4/projects/paas%2Freleases%2Fplatform-release/merge_requests";
    private readonly FakeGitLabMergeRequests _gitlab = new("paas/releases/platform-release");

    protected override string Kind => "gitlab";

    protected override string Brand => "GitLab";

    protected override string Project => "paas/releases/platform-release";

    protected override string Token => "glpat-test-token-77";

    protected override string TokenEnv => "GITLAB_TOKEN";

    protected override RecordingHttpServer Server => _gitlab.Server;

    protected override int FirstNumber => 12;

    protected override string Named(int number) => $"merge request !{number}";

    protected override string UrlOf(int number) => $"https://gitlab.example.com/paas/releases/platform-release/-/merge_requests/{number}";

    protected override int OpenCount => _gitlab.Open.Count;

    protected override void AlreadyOpen(int number, string title, string body, string source, string target) =>
        _gitlab.Open.Add(_gitlab.Mr(number, title, body, source, target));

    protected override IForge Create(ForgeConnection connection) => new GitLabForge(connection);

    protected override IReadOnlyDictionary<string, string?> CredentialHeaders => new Dictionary<string, string?>
    {
        ["PRIVATE-TOKEN"] = Token,
        ["Authorization"] = null,
    };

    protected override string ListCall => $"GET {MergeRequests}?state=opened&source_branch=lading%2Frelease-v2.10.2";

    protected override string CreateCall => $"POST {MergeRequests}";

    protected override string UpdateCall(int number) => $"PUT {MergeRequests}/{number}";

    protected override string BodyType => "application/json";

    protected override (string Name, string? Value)[] CreateFields(string title, string body, string source, string target) =>
        [("title", title), ("description", body), ("target_branch", target), ("source_branch", source)];

    protected override (string Name, string? Value)[] UpdateFields(string title, string body, string? newTarget) =>
        newTarget is null ? [("title", title), ("description", body)] : [("title", title), ("description", body), ("target_branch", newTarget)];

    protected override RecordedResponse RefusedToken => RecordedResponse.Json(401, new { message = "401 Unauthorized" });

    protected override RecordedResponse UnknownProject => RecordedResponse.Json(404, new { message = "404 Project Not Found" });

    protected override (RecordedResponse Answer, string Reason) RefusedRequest => (
        RecordedResponse.Json(422, new { message = new { source_branch = new[] { "does not exist" } } }),
        "GitLab refused the merge request from lading/release-v2.10.2 into release-2.10: source_branch does not exist");

    [Fact]
    public async Task A_merge_request_opened_by_a_concurrent_run_is_updated_rather_than_failing()
    {
        var listed = 0;
        Server.Answer(r => r.Method switch
        {
            "GET" when Interlocked.Increment(ref listed) == 1 => RecordedResponse.Json(200, Array.Empty<object>()),
            "GET" => RecordedResponse.Json(200, new[] { new { iid = 5, title = "Release", description = "old", source_branch = "lading/release-v2.10.2", target_branch = "release-2.10", web_url = "https://gitlab.example.com/mr/5" } }),
            "POST" => RecordedResponse.Json(409, new { message = new[] { "Another open merge request already exists for this source branch: !5" } }),
            _ => RecordedResponse.Json(200, new { iid = 5, title = "Release v2.10.2", description = "x", web_url = "https://gitlab.example.com/mr/5" }),
        });

        var result = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.Updated, result.Outcome);
        Assert.Equal(5, result.Number);
        Assert.Equal([ListCall, CreateCall, ListCall, UpdateCall(5)], Server.Requests.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("api/v4")]
    [InlineData("api/v4/")]
    public void The_address_may_be_the_server_or_its_api_root(string suffix)
    {
        var forge = (GitLabForge)Forge(new Uri(Server.BaseAddress, suffix));

        Assert.Equal(new Uri(Server.BaseAddress, "api/v4/"), forge.ApiUrl);
    }

    [Fact]
    public void Without_an_address_the_forge_is_gitlab_com()
    {
        using var forge = new GitLabForge(new ForgeConnection(null, Token, TokenEnv));

        Assert.Equal("https://gitlab.com/api/v4/", forge.ApiUrl.ToString());
    }
}
