using Lading.Forge;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Forge;

/// <summary>GitHubForge against a loopback GitHub API that records what Octokit sends.</summary>
public sealed class GitHubForgeTests : ForgeContract
{
    private const string Pulls = "/api/v3/repos/paas/platform-release/pulls";
    private readonly FakeGitHubPulls _github = new("paas", "platform-release");

    protected override string Kind => "github";

    protected override string Brand => "GitHub";

    protected override string Project => "paas/platform-release";

    protected override string Token => "ghp-test-token-4242";

    protected override string TokenEnv => "GITHUB_TOKEN";

    protected override RecordingHttpServer Server => _github.Server;

    protected override int FirstNumber => 41;

    protected override string Named(int number) => $"pull request #{number}";

    protected override string UrlOf(int number) => $"https://github.example.com/paas/platform-release/pull/{number}";

    protected override int OpenCount => _github.Open.Count;

    protected override void AlreadyOpen(int number, string title, string body, string source, string target) =>
        _github.Open.Add(_github.Pr(number, title, body, source, target));

    protected override IForge Create(ForgeConnection connection) => new GitHubForge(connection);

    protected override IReadOnlyDictionary<string, string?> CredentialHeaders => new Dictionary<string, string?>
    {
        ["Authorization"] = $"Token {Token}",
        ["PRIVATE-TOKEN"] = null,
    };

    protected override string ListCall => $"GET {Pulls}?state=open&head=paas%3Alading%2Frelease-v2.10.2&sort=created&direction=desc";

    protected override string CreateCall => $"POST {Pulls}";

    protected override string UpdateCall(int number) => $"PATCH {Pulls}/{number}";

    // Octokit labels its JSON bodies so; GitHub reads them as JSON all the same.
    protected override string BodyType => "application/x-www-form-urlencoded";

    protected override (string Name, string? Value)[] CreateFields(string title, string body, string source, string target) =>
        [("title", title), ("base", target), ("head", source), ("body", body)];

    protected override (string Name, string? Value)[] UpdateFields(string title, string body, string? newTarget) =>
        newTarget is null ? [("title", title), ("body", body)] : [("title", title), ("body", body), ("base", newTarget)];

    protected override RecordedResponse RefusedToken => RecordedResponse.Json(401, new { message = "Bad credentials" });

    protected override RecordedResponse UnknownProject => RecordedResponse.Json(404, new { message = "Not Found" });

    protected override (RecordedResponse Answer, string Reason) RefusedRequest => (
        RecordedResponse.Json(422, new { message = "Validation Failed", errors = new[] { new { resource = "PullRequest", code = "custom", message = "No commits between release-2.10 and lading/release-v2.10.2" } } }),
        "GitHub refused the pull request from lading/release-v2.10.2 into release-2.10: No commits between release-2.10 and lading/release-v2.10.2");

    [Fact]
    public async Task An_enterprise_address_that_already_ends_in_api_v3_is_used_as_it_is()
    {
        await Forge(new Uri(Server.BaseAddress, "api/v3/")).ProposeAsync(Proposal(), CancellationToken.None);

        Assert.All(Server.Requests, r => Assert.StartsWith("/api/v3/repos/", r.Path));
    }

    [Fact]
    public async Task A_project_not_written_owner_slash_name_is_refused()
    {
        var e = await Assert.ThrowsAsync<ForgeException>(() => Forge().ProposeAsync(Proposal() with { Project = "group/sub/repo" }, CancellationToken.None));

        Assert.Contains("owner/name", e.Message);
        Assert.Empty(Server.Requests);
    }
}
