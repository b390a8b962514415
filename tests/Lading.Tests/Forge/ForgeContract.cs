using System.Text.Json;
using Lading.Forge;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Forge;

/// <summary>
/// What every forge does with a proposal, stated once and checked against each forge's fake API: a request is opened
/// once per branch, refreshed rather than doubled, and every failure names the forge, the project and the token's
/// variable, never the token. Each forge supplies its fake, its answers and the exact requests it must send.
/// </summary>
public abstract class ForgeContract : IDisposable
{
    protected const string Source = "lading/release-v2.10.2";
    protected const string Target = "release-2.10";
    protected const string Title = "Release v2.10.2";
    protected const string Table = "| component | old | new |\n|---|---|---|\n| cyclone | v1.2.0 | v1.2.1 |";

    private readonly List<IForge> _forges = [];

    /// <summary>The forge's kind, as a recipe and its errors name it.</summary>
    protected abstract string Kind { get; }

    /// <summary>How messages quoting the forge's own answers name it: GitHub, GitLab.</summary>
    protected abstract string Brand { get; }

    protected abstract string Project { get; }

    protected abstract string Token { get; }

    protected abstract string TokenEnv { get; }

    /// <summary>The fake API the forge talks to.</summary>
    protected abstract RecordingHttpServer Server { get; }

    /// <summary>The number the fake gives the first request opened.</summary>
    protected abstract int FirstNumber { get; }

    /// <summary>How a result names a request: "pull request #41", "merge request !12".</summary>
    protected abstract string Named(int number);

    protected abstract string UrlOf(int number);

    protected abstract int OpenCount { get; }

    /// <summary>Puts a request the forge did not open into the fake, as if someone had.</summary>
    protected abstract void AlreadyOpen(int number, string title, string body, string source, string target);

    protected abstract IForge Create(ForgeConnection connection);

    /// <summary>The headers every call carries the token in, and those it must not (null: absent).</summary>
    protected abstract IReadOnlyDictionary<string, string?> CredentialHeaders { get; }

    /// <summary>The exact call that lists the requests open for <see cref="Source"/>.</summary>
    protected abstract string ListCall { get; }

    protected abstract string CreateCall { get; }

    protected abstract string UpdateCall(int number);

    /// <summary>The media type the bodies are sent as.</summary>
    protected abstract string BodyType { get; }

    /// <summary>The fields of the body that opens a request, in the order sent.</summary>
    protected abstract (string Name, string? Value)[] CreateFields(string title, string body, string source, string target);

    /// <summary>The fields of the body that refreshes a request; <paramref name="newTarget"/> is null when the target stays.</summary>
    protected abstract (string Name, string? Value)[] UpdateFields(string title, string body, string? newTarget);

    /// <summary>The forge's answer to a token it does not accept.</summary>
    protected abstract RecordedResponse RefusedToken { get; }

    /// <summary>The forge's answer about a project the token cannot see.</summary>
    protected abstract RecordedResponse UnknownProject { get; }

    /// <summary>The forge's answer refusing to open the request, and the reason Lading then gives.</summary>
    protected abstract (RecordedResponse Answer, string Reason) RefusedRequest { get; }

    protected PullRequestProposal Proposal(string body = Table) => new(Project, Source, Target, Title, body);

    protected IForge Forge(Uri? url = null, string? token = null, TimeSpan? timeout = null)
    {
        var connection = new ForgeConnection(url ?? Server.BaseAddress, token ?? Token, TokenEnv);
        var forge = Create(timeout is { } limit ? connection with { Timeout = limit } : connection);
        _forges.Add(forge);
        return forge;
    }

    public void Dispose()
    {
        _forges.ForEach(f => f.Dispose());
        Server.Dispose();
    }

    private IEnumerable<string> Calls => Server.Requests.Select(r => r.ToString());

    private static (string Name, string? Value)[] Fields(RecordedRequest request) =>
        [.. request.Json().EnumerateObject().Select(p => (p.Name, p.Value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => p.Value.GetString(),
            _ => p.Value.GetRawText(),
        }))];

    private async Task<ForgeException> FailsAsync(IForge? forge = null) =>
        await Assert.ThrowsAsync<ForgeException>(() => (forge ?? Forge()).ProposeAsync(Proposal(), CancellationToken.None));

    [Fact]
    public async Task Opens_a_request_when_none_is_open_for_the_branch()
    {
        var result = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal((PullRequestOutcome.Opened, FirstNumber, UrlOf(FirstNumber)), (result.Outcome, result.Number, result.Url));
        Assert.Equal($"opened {Named(FirstNumber)} on {Project}: {UrlOf(FirstNumber)}", result.Describe());
        Assert.Equal([ListCall, CreateCall], Calls);
        Assert.All(Server.Requests, r => Assert.All(CredentialHeaders, h => Assert.Equal(h.Value, r.Header(h.Key))));
        Assert.Equal(CreateFields(Title, Table, Source, Target), Fields(Server.Requests[1]));
        Assert.StartsWith(BodyType, Server.Requests[1].Header("Content-Type"));
    }

    [Fact]
    public async Task Proposing_again_with_a_new_body_updates_the_open_request_instead_of_opening_another()
    {
        await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        var result = await Forge().ProposeAsync(Proposal("now with cyclone v1.2.2"), CancellationToken.None);

        Assert.Equal((PullRequestOutcome.Updated, FirstNumber), (result.Outcome, result.Number));
        Assert.Equal($"updated the open {Named(FirstNumber)} on {Project}: {UrlOf(FirstNumber)}", result.Describe());
        Assert.Equal(1, OpenCount);
        Assert.Equal([ListCall, CreateCall, ListCall, UpdateCall(FirstNumber)], Calls);
        Assert.Equal(UpdateFields(Title, "now with cyclone v1.2.2", null), Fields(Server.Requests[3]));
    }

    [Fact]
    public async Task Proposing_the_same_thing_twice_opens_nothing_the_second_time()
    {
        await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        var again = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal((PullRequestOutcome.Unchanged, FirstNumber, true), (again.Outcome, again.Number, again.OpenedNothing));
        Assert.Equal($"{Named(FirstNumber)} on {Project} is already open and up to date; nothing opened: {UrlOf(FirstNumber)}", again.Describe());
        Assert.Equal([ListCall, CreateCall, ListCall], Calls);
    }

    [Fact]
    public async Task A_new_target_branch_is_sent_with_the_update()
    {
        AlreadyOpen(9, Title, Table, Source, "main");

        var result = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal((PullRequestOutcome.Updated, 9), (result.Outcome, result.Number));
        Assert.Equal([ListCall, UpdateCall(9)], Calls);
        Assert.Equal(UpdateFields(Title, Table, Target), Fields(Server.Requests[1]));
    }

    [Fact]
    public async Task A_request_open_for_another_branch_is_left_alone()
    {
        AlreadyOpen(7, "Other work", "x", "feature/other", Target);

        var result = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.Opened, result.Outcome);
        Assert.Equal(2, OpenCount);
        Assert.Equal([ListCall, CreateCall], Calls);
    }

    [Fact]
    public async Task A_body_edited_in_the_browser_with_crlf_line_ends_is_still_the_same_body()
    {
        AlreadyOpen(9, Title, Table.Replace("\n", "\r\n") + "\r\n", Source, Target);

        var result = await Forge().ProposeAsync(Proposal(), CancellationToken.None);

        Assert.Equal((PullRequestOutcome.Unchanged, 9), (result.Outcome, result.Number));
        Assert.Equal([ListCall], Calls);
    }

    [Fact]
    public async Task A_refused_token_is_named_by_its_variable_and_never_shown()
    {
        Server.Answer(_ => RefusedToken);

        var e = await FailsAsync();

        Assert.Equal((Kind, Project), (e.Forge, e.Project));
        Assert.Equal($"{Kind} ({Project}): the token in {TokenEnv} was refused", e.Message);
        Assert.DoesNotContain(Token, e.ToString());
    }

    [Fact]
    public async Task A_project_the_token_cannot_see_is_reported_as_not_found()
    {
        Server.Answer(_ => UnknownProject);

        var e = await FailsAsync();

        Assert.Equal($"{Kind} ({Project}): {Project} was not found on {Server.Host}, or the token in {TokenEnv} cannot see it", e.Message);
    }

    [Fact]
    public async Task A_refused_request_carries_the_forges_reason()
    {
        var (answer, reason) = RefusedRequest;
        Server.Answer(r => r.Method == "GET" ? RecordedResponse.Json(200, Array.Empty<object>()) : answer);

        var e = await FailsAsync();

        Assert.Equal($"{Kind} ({Project}): {reason}", e.Message);
    }

    [Fact]
    public async Task An_error_page_that_echoes_the_token_is_masked()
    {
        Server.Answer(_ => new RecordedResponse(502, $"bad gateway for token {Token}", "text/plain"));

        var e = await FailsAsync();

        Assert.Contains($"{Brand} answered 502", e.Message);
        Assert.EndsWith(": bad gateway for token ***", e.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_forge_error_naming_the_server()
    {
        var dead = new Uri($"http://127.0.0.1:{FreePort.Next()}/");

        var e = await FailsAsync(Forge(dead));

        Assert.Contains($"{dead.Authority} could not be reached", e.Message);
    }

    [Fact]
    public async Task A_missing_token_fails_before_any_request()
    {
        var e = await FailsAsync(Forge(token: ""));

        Assert.Equal($"{Kind} ({Project}): no token: the environment variable {TokenEnv} is empty or not set", e.Message);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_a_forge_error()
    {
        Server.Answer(_ => new RecordedResponse(200, "[]", Delay: TimeSpan.FromSeconds(10)));

        var e = await FailsAsync(Forge(timeout: TimeSpan.FromMilliseconds(300)));

        Assert.Equal($"{Kind} ({Project}): {Server.Host} did not answer within 0.3 s", e.Message);
    }

    [Fact]
    public async Task Cancelling_the_build_cancels_the_call_rather_than_reporting_a_forge_error()
    {
        Server.Answer(_ => new RecordedResponse(200, "[]", Delay: TimeSpan.FromSeconds(10)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Forge().ProposeAsync(Proposal(), cancel.Token));
    }
}
