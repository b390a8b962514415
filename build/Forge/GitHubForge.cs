using System.Net.Http;
using Octokit;

namespace Lading.Forge;

/// <summary>Pull requests on GitHub or GitHub Enterprise through Octokit.</summary>
public sealed class GitHubForge : IForge
{
    public const string Name = "github";
    private readonly IGitHubClient _client;
    private readonly ForgeConnection _connection;

    /// <param name="connection">
    /// A null API address means api.github.com; any other address is an Enterprise server, to which Octokit adds /api/v3/
    /// unless it is already there.
    /// </param>
    public GitHubForge(ForgeConnection connection)
    {
        _connection = connection;
        var product = new ProductHeaderValue("Lading", typeof(GitHubForge).Assembly.GetName().Version?.ToString(3));
        var client = connection.ApiUrl is null ? new GitHubClient(product) : new GitHubClient(product, connection.ApiUrl);
        if (!string.IsNullOrWhiteSpace(connection.Token))
        {
            // An empty token is reported by ProposeAsync, naming its variable.
            client.Credentials = new Credentials(connection.Token);
        }

        client.SetRequestTimeout(connection.Timeout);
        _client = client;
    }

    public string Kind => Name;

    public async Task<PullRequestResult> ProposeAsync(PullRequestProposal proposal, CancellationToken ct)
    {
        proposal.Validate(Name);
        _connection.RequireToken(Name, proposal.Project);
        var (owner, repo) = Split(proposal.Project);
        try
        {
            // GitHub filters by head as owner:branch; the proposal's branch is pushed to the project itself.
            var open = await _client.PullRequest
                .GetAllForRepository(owner, repo, new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{owner}:{proposal.SourceBranch}" })
                .WaitAsync(ct);
            var existing = open.FirstOrDefault(pr => pr.Head is null || pr.Head.Ref == proposal.SourceBranch);
            if (existing is null)
            {
                var created = await _client.PullRequest
                    .Create(owner, repo, new NewPullRequest(proposal.Title, proposal.SourceBranch, proposal.TargetBranch) { Body = proposal.Body })
                    .WaitAsync(ct);
                return Result(proposal, PullRequestOutcome.Opened, created);
            }

            if (existing.Title == proposal.Title && Same(existing.Body, proposal.Body) && (existing.Base is null || existing.Base.Ref == proposal.TargetBranch))
            {
                return Result(proposal, PullRequestOutcome.Unchanged, existing);
            }

            var update = new PullRequestUpdate { Title = proposal.Title, Body = proposal.Body };
            if (existing.Base is not null && existing.Base.Ref != proposal.TargetBranch)
            {
                update.Base = proposal.TargetBranch;
            }

            var updated = await _client.PullRequest.Update(owner, repo, existing.Number, update).WaitAsync(ct);
            return Result(proposal, PullRequestOutcome.Updated, updated);
        }
        catch (Exception e) when (e is not ForgeException && !(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            throw Explain(e, proposal);
        }
    }

    // Octokit's client holds no connection of its own to release.
    public void Dispose()
    {
    }

    private static PullRequestResult Result(PullRequestProposal proposal, PullRequestOutcome outcome, PullRequest pr) =>
        new(Name, proposal.Project, outcome, pr.Number, pr.HtmlUrl);

    // GitHub stores bodies with CRLF when edited in the browser; a re-run must still see them as equal.
    private static bool Same(string? a, string? b) =>
        (a ?? string.Empty).ReplaceLineEndings("\n").TrimEnd() == (b ?? string.Empty).ReplaceLineEndings("\n").TrimEnd();

    private static (string Owner, string Repo) Split(string project)
    {
        var parts = project.Trim().Trim('/').Split('/');
        if (parts.Length != 2 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new ForgeException(Name, project, "a GitHub project is written owner/name");
        }

        return (parts[0], parts[1]);
    }

    private ForgeException Explain(Exception e, PullRequestProposal proposal)
    {
        var server = _client.Connection.BaseAddress.Authority;
        var reason = e switch
        {
            AuthorizationException => $"the token in {_connection.TokenEnv} was refused",
            RateLimitExceededException limit => $"the API rate limit of the token in {_connection.TokenEnv} is used up until {limit.Reset:u}",
            ForbiddenException f => $"the token in {_connection.TokenEnv} may not open pull requests on {proposal.Project} ({f.ApiError?.Message ?? f.Message})",
            NotFoundException => $"{proposal.Project} was not found on {server}, or the token in {_connection.TokenEnv} cannot see it",
            ApiValidationException v => $"GitHub refused the pull request from {proposal.SourceBranch} into {proposal.TargetBranch}: {Validation(v)}",
            ApiException a => $"GitHub answered {(int)a.StatusCode} {a.StatusCode}: {a.ApiError?.Message ?? a.Message}",
            HttpRequestException h => $"{server} could not be reached ({h.HttpRequestError})",
            OperationCanceledException => $"{server} did not answer within {_connection.Timeout.TotalSeconds:0.#} s",
            _ => $"the request failed: {e.Message}",
        };
        return new ForgeException(Name, proposal.Project, _connection.Scrub(reason), e);
    }

    private static string Validation(ApiValidationException v)
    {
        var details = v.ApiError?.Errors?.Select(error => error.Message ?? $"{error.Field} {error.Code}").Where(m => !string.IsNullOrWhiteSpace(m)).ToList() ?? [];
        return details.Count > 0 ? string.Join("; ", details) : v.ApiError?.Message ?? v.Message;
    }
}
