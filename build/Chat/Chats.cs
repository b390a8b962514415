namespace Lading.Chat;

/// <summary>One chat a recipe names: its kind, the variable holding its webhook URL, and that URL when the variable is set.</summary>
public sealed record ChatTarget(string Kind, string UrlVariable, string? Url, string Where)
{
    // A record's generated ToString would print the URL.
    public override string ToString() => $"{Kind} ({UrlVariable})";
}

/// <summary>What telling the chats came to: how many of those with a webhook were told, and a warning for each one that was not.</summary>
public sealed record ChatOutcome(int Delivered, int WithWebhook, IReadOnlyList<string> Warnings);

/// <summary>
/// The chats of one build, from its recipe's notify entries. A chat that cannot be told (its variable unset, its
/// server down) is a warning, never a failed build.
/// </summary>
public sealed class Chats(IReadOnlyList<ChatTarget> targets, Func<INotifier>? notifier = null)
{
    /// <summary>True when the recipe names at least one chat.</summary>
    public bool AreNamed => targets.Count > 0;

    public async Task<ChatOutcome> TellAsync(ReleaseNotice notice, CancellationToken cancellationToken)
    {
        var warnings = targets.Where(t => t.Url is null)
            .Select(t => $"{t.Kind} notice skipped: {t.UrlVariable} is not set ({t.Where})")
            .ToList();
        var hooks = targets.Where(t => t.Url is not null).Select(t => Webhook.From(t.Kind, t.Url!, t.UrlVariable)).ToList();
        if (hooks.Count == 0)
        {
            return new ChatOutcome(0, 0, warnings);
        }

        var chosen = notifier?.Invoke();
        using var own = chosen is null ? new Notifier() : null;
        var report = await (chosen ?? own!).NotifyAsync(notice, hooks, cancellationToken);
        return new ChatOutcome(report.Deliveries.Count(d => d.Delivered), hooks.Count, [.. warnings, .. report.Warnings]);
    }
}
