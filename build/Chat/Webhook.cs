namespace Lading.Chat;

public enum WebhookKind
{
    WeCom,
    DingTalk,
    Feishu,
    Slack,
    Json,
}

/// <summary>
/// A chat's incoming webhook. The URL is a secret (it carries the robot's key): it is never printed, and the
/// webhook is named by the environment variable it came from.
/// </summary>
public sealed record Webhook(WebhookKind Kind, string Url, string UrlEnv)
{
    /// <summary>The names a recipe's <c>notify.kind</c> uses; lark is Feishu's international name.</summary>
    public static WebhookKind ParseKind(string kind) => kind.Trim().ToLowerInvariant() switch
    {
        "wecom" => WebhookKind.WeCom,
        "dingtalk" => WebhookKind.DingTalk,
        "feishu" or "lark" => WebhookKind.Feishu,
        "slack" => WebhookKind.Slack,
        "json" => WebhookKind.Json,
        _ => throw new ArgumentException($"unknown webhook kind '{kind}'; expected wecom, dingtalk, feishu, slack or json", nameof(kind)),
    };

    public static Webhook From(string kind, string url, string urlEnv) => new(ParseKind(kind), url, urlEnv);

    public string KindName => Kind.ToString().ToLowerInvariant();

    // A record's generated ToString would print the URL.
    public override string ToString() => $"{KindName} webhook ({UrlEnv})";

    /// <summary>Removes the URL and its secret parts from text that came back from the chat.</summary>
    internal string Scrub(string text)
    {
        if (string.IsNullOrEmpty(Url) || string.IsNullOrEmpty(text))
        {
            return text;
        }

        var secrets = new List<string> { Url };
        if (Uri.TryCreate(Url, UriKind.Absolute, out var uri))
        {
            secrets.Add(uri.PathAndQuery);
            secrets.AddRange(uri.Query.TrimStart('?').Split('&').Select(p => p[(p.IndexOf('=') + 1)..]));
            secrets.AddRange(uri.AbsolutePath.Split('/').Where(s => s.Length >= 12));
        }

        foreach (var secret in secrets.Where(s => s.Length >= 4).Distinct().OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
