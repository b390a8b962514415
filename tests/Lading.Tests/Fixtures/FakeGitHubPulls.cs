using System.Text.Json;

namespace Lading.Tests.Fixtures;

/// <summary>
/// Enough of GitHub's pulls API (Enterprise paths, under /api/v3) to list, open and edit pull requests of one
/// repository, on a recording loopback server; the head filter is honoured as GitHub does.
/// </summary>
public sealed class FakeGitHubPulls : IDisposable
{
    private readonly string _owner;
    private readonly string _pulls;

    public FakeGitHubPulls(string owner, string repository)
    {
        _owner = owner;
        _pulls = $"/api/v3/repos/{owner}/{repository}/pulls";
        Server.Answer(Handle);
    }

    public RecordingHttpServer Server { get; } = new();

    public string PullsPath => _pulls;

    public List<Dictionary<string, object?>> Open { get; } = [];

    public void Dispose() => Server.Dispose();

    public Dictionary<string, object?> Pr(int number, string title, string? body, string head, string @base) => new()
    {
        ["number"] = number,
        ["state"] = "open",
        ["title"] = title,
        ["body"] = body,
        ["html_url"] = $"https://github.example.com{_pulls.Replace("/api/v3/repos", string.Empty).Replace("/pulls", "/pull")}/{number}",
        ["head"] = new Dictionary<string, object?> { ["ref"] = head, ["label"] = $"{_owner}:{head}" },
        ["base"] = new Dictionary<string, object?> { ["ref"] = @base, ["label"] = $"{_owner}:{@base}" },
    };

    private RecordedResponse Handle(RecordedRequest request)
    {
        lock (Open)
        {
            if (request.Method == "GET" && request.Path == _pulls)
            {
                var head = Uri.UnescapeDataString(request.Query.Split('&', '?').First(p => p.StartsWith("head=", StringComparison.Ordinal))["head=".Length..]);
                return RecordedResponse.Json(200, Open.Where(pr => $"{_owner}:" + ((Dictionary<string, object?>)pr["head"]!)["ref"] == head));
            }

            if (request.Method == "POST" && request.Path == _pulls)
            {
                var sent = request.Json();
                var pr = Pr(41 + Open.Count, sent.GetProperty("title").GetString()!, sent.GetProperty("body").GetString(), sent.GetProperty("head").GetString()!, sent.GetProperty("base").GetString()!);
                Open.Add(pr);
                return RecordedResponse.Json(201, pr);
            }

            if (request.Method == "PATCH" && request.Path.StartsWith(_pulls + "/", StringComparison.Ordinal))
            {
                var number = int.Parse(request.Path[(_pulls.Length + 1)..]);
                var pr = Open.Single(p => (int)p["number"]! == number);
                var sent = request.Json();
                pr["title"] = sent.GetProperty("title").GetString();
                pr["body"] = sent.GetProperty("body").GetString();
                if (sent.TryGetProperty("base", out var @base))
                {
                    ((Dictionary<string, object?>)pr["base"]!)["ref"] = @base.GetString();
                }

                return RecordedResponse.Json(200, pr);
            }

            return RecordedResponse.Json(404, new { message = "Not Found" });
        }
    }
}
