namespace Lading.Tests.Fixtures;

/// <summary>
/// Enough of GitLab's merge request API (v4) to list, open and edit merge requests of one project, on a recording
/// loopback server; the source_branch filter is honoured as GitLab does.
/// </summary>
public sealed class FakeGitLabMergeRequests : IDisposable
{
    private readonly string _project;
    private readonly string _mergeRequests;

    public FakeGitLabMergeRequests(string project)
    {
        _project = project;
        _mergeRequests = $"/api/v4/projects/{Uri.EscapeDataString(project)}/merge_requests";
        Server.Answer(Handle);
    }

    public RecordingHttpServer Server { get; } = new();

    public string MergeRequestsPath => _mergeRequests;

    public List<Dictionary<string, object?>> Open { get; } = [];

    public void Dispose() => Server.Dispose();

    public Dictionary<string, object?> Mr(int iid, string title, string? description, string source, string target) => new()
    {
        ["id"] = 9000 + iid,
        ["iid"] = iid,
        ["state"] = "opened",
        ["title"] = title,
        ["description"] = description,
        ["source_branch"] = source,
        ["target_branch"] = target,
        ["web_url"] = $"https://gitlab.example.com/{_project}/-/merge_requests/{iid}",
    };

    private RecordedResponse Handle(RecordedRequest request)
    {
        lock (Open)
        {
            if (request.Method == "GET" && request.Path == _mergeRequests)
            {
                var source = Uri.UnescapeDataString(request.Query.Split('&', '?').First(p => p.StartsWith("source_branch=", StringComparison.Ordinal))["source_branch=".Length..]);
                return RecordedResponse.Json(200, Open.Where(mr => (string?)mr["source_branch"] == source));
            }

            if (request.Method == "POST" && request.Path == _mergeRequests)
            {
                var sent = request.Json();
                var mr = Mr(12 + Open.Count, sent.GetProperty("title").GetString()!, sent.GetProperty("description").GetString(), sent.GetProperty("source_branch").GetString()!, sent.GetProperty("target_branch").GetString()!);
                Open.Add(mr);
                return RecordedResponse.Json(201, mr);
            }

            if (request.Method == "PUT" && request.Path.StartsWith(_mergeRequests + "/", StringComparison.Ordinal))
            {
                var iid = int.Parse(request.Path[(_mergeRequests.Length + 1)..]);
                var mr = Open.Single(m => (int)m["iid"]! == iid);
                foreach (var field in request.Json().EnumerateObject())
                {
                    mr[field.Name] = field.Value.GetString();
                }

                return RecordedResponse.Json(200, mr);
            }

            return RecordedResponse.Json(404, new { message = "404 Project Not Found" });
        }
    }
}
