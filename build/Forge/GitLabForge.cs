using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lading.Forge;

/// <summary>Merge requests on GitLab through its REST API v4.</summary>
public sealed class GitLabForge : IForge
{
    public const string Name = "gitlab";
    public static readonly Uri DefaultApiUrl = new("https://gitlab.com/api/v4/");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ForgeConnection _connection;

    /// <param name="connection">The API address may be the server (https://gitlab.example.com) or its API root (…/api/v4).</param>
    /// <param name="http">A shared client; when null the forge makes and disposes its own.</param>
    public GitLabForge(ForgeConnection connection, HttpClient? http = null)
    {
        _connection = connection;
        ApiUrl = ApiRoot(connection.ApiUrl);
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = connection.Timeout };
    }

    public string Kind => Name;

    /// <summary>The API root every call is made under, always ending in /api/v4/.</summary>
    public Uri ApiUrl { get; }

    public async Task<PullRequestResult> ProposeAsync(PullRequestProposal proposal, CancellationToken ct)
    {
        proposal.Validate(Name);
        _connection.RequireToken(Name, proposal.Project);
        var project = Uri.EscapeDataString(proposal.Project.Trim().Trim('/'));
        var existing = await FindOpenAsync(project, proposal, ct);
        if (existing is null)
        {
            var created = await SendAsync(HttpMethod.Post, $"projects/{project}/merge_requests", proposal, new MergeRequestChange(proposal.Title, proposal.Body, proposal.TargetBranch, proposal.SourceBranch), ct);
            if (created.Conflict)
            {
                // Another run opened one between our look-up and our create: refresh that one instead.
                existing = await FindOpenAsync(project, proposal, ct)
                    ?? throw new ForgeException(Name, proposal.Project, $"GitLab reports an open merge request for {proposal.SourceBranch} but lists none");
            }
            else
            {
                return Result(proposal, PullRequestOutcome.Opened, created.Request!);
            }
        }

        if (existing.Title == proposal.Title && Same(existing.Description, proposal.Body) && existing.TargetBranch == proposal.TargetBranch)
        {
            return Result(proposal, PullRequestOutcome.Unchanged, existing);
        }

        var change = new MergeRequestChange(proposal.Title, proposal.Body, existing.TargetBranch == proposal.TargetBranch ? null : proposal.TargetBranch, null);
        var updated = await SendAsync(HttpMethod.Put, $"projects/{project}/merge_requests/{existing.Iid}", proposal, change, ct);
        return Result(proposal, PullRequestOutcome.Updated, updated.Request ?? existing);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<MergeRequest?> FindOpenAsync(string project, PullRequestProposal proposal, CancellationToken ct)
    {
        var path = $"projects/{project}/merge_requests?state=opened&source_branch={Uri.EscapeDataString(proposal.SourceBranch)}";
        using var response = await CallAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(ApiUrl, path)), proposal, ct);
        await EnsureSuccessAsync(response, proposal, ct);
        var open = await response.Content.ReadFromJsonAsync<List<MergeRequest>>(Json, ct) ?? [];
        return open.FirstOrDefault(mr => mr.SourceBranch is null || mr.SourceBranch == proposal.SourceBranch);
    }

    private async Task<(MergeRequest? Request, bool Conflict)> SendAsync(HttpMethod method, string path, PullRequestProposal proposal, MergeRequestChange change, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, new Uri(ApiUrl, path)) { Content = JsonContent.Create(change, options: Json) };
        using var response = await CallAsync(request, proposal, ct);
        if (method == HttpMethod.Post && response.StatusCode == HttpStatusCode.Conflict)
        {
            return (null, true);
        }

        await EnsureSuccessAsync(response, proposal, ct);
        return (await response.Content.ReadFromJsonAsync<MergeRequest>(Json, ct), false);
    }

    private async Task<HttpResponseMessage> CallAsync(HttpRequestMessage request, PullRequestProposal proposal, CancellationToken ct)
    {
        request.Headers.Add("PRIVATE-TOKEN", _connection.Token);
        request.Headers.Accept.ParseAdd("application/json");
        try
        {
            return await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ForgeException(Name, proposal.Project, $"{ApiUrl.Authority} could not be reached ({e.HttpRequestError})", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ForgeException(Name, proposal.Project, $"{ApiUrl.Authority} did not answer within {_http.Timeout.TotalSeconds:0.#} s", e);
        }
        finally
        {
            request.Dispose();
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, PullRequestProposal proposal, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var said = await GitLabMessageAsync(response, ct);
        var reason = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => $"the token in {_connection.TokenEnv} was refused",
            HttpStatusCode.Forbidden => $"the token in {_connection.TokenEnv} may not open merge requests on {proposal.Project}",
            HttpStatusCode.NotFound => $"{proposal.Project} was not found on {ApiUrl.Authority}, or the token in {_connection.TokenEnv} cannot see it",
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity =>
                $"GitLab refused the merge request from {proposal.SourceBranch} into {proposal.TargetBranch}: {said}",
            _ => $"GitLab answered {(int)response.StatusCode} {response.ReasonPhrase}{(said.Length > 0 ? ": " + said : string.Empty)}",
        };
        throw new ForgeException(Name, proposal.Project, _connection.Scrub(reason));
    }

    // GitLab's "message" is a string, a list, or a map of field -> list of problems.
    private static async Task<string> GitLabMessageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                (document.RootElement.TryGetProperty("message", out var message) || document.RootElement.TryGetProperty("error", out message)))
            {
                return Flatten(message);
            }
        }
        catch (JsonException)
        {
        }

        return text.Length > 200 ? text[..200] + "…" : text.Trim();
    }

    private static string Flatten(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString() ?? string.Empty,
        JsonValueKind.Array => string.Join("; ", element.EnumerateArray().Select(Flatten)),
        JsonValueKind.Object => string.Join("; ", element.EnumerateObject().Select(p => $"{p.Name} {Flatten(p.Value)}")),
        _ => element.ToString(),
    };

    private static Uri ApiRoot(Uri? url)
    {
        if (url is null)
        {
            return DefaultApiUrl;
        }

        var text = url.ToString().TrimEnd('/');
        return new Uri(text.EndsWith("/api/v4", StringComparison.OrdinalIgnoreCase) ? text + "/" : text + "/api/v4/");
    }

    private static PullRequestResult Result(PullRequestProposal proposal, PullRequestOutcome outcome, MergeRequest mr) =>
        new(Name, proposal.Project, outcome, mr.Iid, mr.WebUrl);

    private static bool Same(string? a, string? b) =>
        (a ?? string.Empty).ReplaceLineEndings("\n").TrimEnd() == (b ?? string.Empty).ReplaceLineEndings("\n").TrimEnd();

    private sealed record MergeRequest(int Iid, string? WebUrl, string? Title, string? Description, string? SourceBranch, string? TargetBranch);

    private sealed record MergeRequestChange(string Title, string Description, string? TargetBranch, string? SourceBranch);
}
