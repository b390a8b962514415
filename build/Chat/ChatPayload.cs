using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lading.Chat;

/// <summary>The JSON body each chat's webhook expects for a notice, shaped to what that chat renders.</summary>
public static partial class ChatPayload
{
    // The chats' documented message limits, with room left for the JSON around the text.
    internal const int WeComBytes = 4000;
    internal const int DingTalkBytes = 18000;
    internal const int FeishuBytes = 25000;
    internal const int SlackSectionChars = 2900;
    internal const int SlackHeaderChars = 150;

    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string For(WebhookKind kind, ReleaseNotice notice) => Build(kind, notice).ToJsonString(Options);

    public static JsonObject Build(WebhookKind kind, ReleaseNotice notice) => kind switch
    {
        WebhookKind.WeCom => WeCom(notice),
        WebhookKind.DingTalk => DingTalk(notice),
        WebhookKind.Feishu => Feishu(notice),
        WebhookKind.Slack => Slack(notice),
        _ => Generic(notice),
    };

    // WeCom's markdown has no tables and no code blocks, but inline code is monospaced: padded rows line up.
    private static JsonObject WeCom(ReleaseNotice notice)
    {
        var lines = new List<string> { $"### {notice.Title}" };
        AddIf(lines, notice.Summary);

        // WeCom mentions a member by user id in markdown; an email is only shown.
        AddIf(lines, notice.Mentions.Count == 0 ? null : string.Join(" ", notice.Mentions.Select(m => ReleaseNotice.IsEmail(m) ? m : $"<@{m}>")));
        if (notice.Table is { } table)
        {
            lines.AddRange(table.AlignedLines().Select(l => $"`{l.Replace('`', '\'')}`"));
        }

        foreach (var details in notice.Details)
        {
            lines.Add($"**{details.Heading}**");
            lines.AddRange(details.IsMarkdown ? details.Lines : details.Lines.Select(l => "> " + l));
        }

        var end = notice.Link is { } link ? $"[{link.Text}]({link.Url})" : null;
        return new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["content"] = Join(Fit(lines, end, WeComBytes)) },
        };
    }

    private static JsonObject DingTalk(ReleaseNotice notice)
    {
        var lines = new List<string> { $"### {notice.Title}", string.Empty };
        AddParagraph(lines, notice.Summary);

        // DingTalk highlights an @ only for a user id or mobile also listed under "at"; an email is only shown.
        AddParagraph(lines, notice.Mentions.Count == 0 ? null : string.Join(" ", notice.Mentions.Select(m => ReleaseNotice.IsEmail(m) ? m : "@" + m)));
        if (notice.Table is { } table)
        {
            lines.AddRange(MarkdownTable(table));
            lines.Add(string.Empty);
        }

        foreach (var details in notice.Details)
        {
            lines.Add($"**{details.Heading}**");
            lines.Add(string.Empty);
            // DingTalk shows no code blocks; quoted lines with hard breaks keep a diff one entry per line.
            lines.AddRange(details.IsMarkdown ? details.Lines : details.Lines.Select(l => $"> {l}  "));
            lines.Add(string.Empty);
        }

        var end = notice.Link is { } link ? $"[{link.Text}]({link.Url})" : null;
        var payload = new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject
            {
                ["title"] = notice.Title,
                ["text"] = Join(Fit(lines, end, DingTalkBytes)).TrimEnd(),
            },
        };
        var people = notice.Mentions.Where(m => !ReleaseNotice.IsEmail(m)).ToList();
        if (people.Count > 0)
        {
            payload["at"] = new JsonObject
            {
                ["atMobiles"] = new JsonArray([.. people.Where(IsMobile).Select(m => (JsonNode?)m)]),
                ["atUserIds"] = new JsonArray([.. people.Where(m => !IsMobile(m)).Select(m => (JsonNode?)m)]),
                ["isAtAll"] = false,
            };
        }

        return payload;
    }

    // A card in Feishu's JSON 2.0 form: its markdown element renders tables and code blocks.
    private static JsonObject Feishu(ReleaseNotice notice)
    {
        var lines = new List<string>();
        AddParagraph(lines, notice.Summary);

        // A Feishu card mentions by user id or by email.
        AddParagraph(lines, notice.Mentions.Count == 0 ? null : string.Join(" ", notice.Mentions.Select(m => ReleaseNotice.IsEmail(m) ? $"<at email={m}></at>" : $"<at id={m}></at>")));
        if (notice.Table is { } table)
        {
            lines.AddRange(MarkdownTable(table));
            lines.Add(string.Empty);
        }

        var budget = FeishuBytes - Bytes(Join(lines)) - (notice.Link is null ? 0 : Bytes(notice.Link.Url) + 100);
        foreach (var details in notice.Details)
        {
            lines.Add($"**{details.Heading}**");
            lines.AddRange(details.IsMarkdown ? Fit(details.Lines, null, budget / notice.Details.Count) : Fenced(details.Lines, budget / notice.Details.Count));
            lines.Add(string.Empty);
        }

        if (notice.Link is { } link)
        {
            lines.Add($"[{link.Text}]({link.Url})");
        }

        return new JsonObject
        {
            ["msg_type"] = "interactive",
            ["card"] = new JsonObject
            {
                ["schema"] = "2.0",
                ["header"] = new JsonObject
                {
                    ["title"] = new JsonObject { ["tag"] = "plain_text", ["content"] = notice.Title },
                    ["template"] = "blue",
                },
                ["body"] = new JsonObject
                {
                    ["elements"] = new JsonArray(new JsonObject { ["tag"] = "markdown", ["content"] = Join(lines).TrimEnd() }),
                },
            },
        };
    }

    // Slack's mrkdwn has no tables: the table is an aligned code block; each section stays under Slack's 3000 characters.
    private static JsonObject Slack(ReleaseNotice notice)
    {
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Clip(notice.Title, SlackHeaderChars) },
            },
        };
        if (!string.IsNullOrWhiteSpace(notice.Summary))
        {
            blocks.Add(SlackSection(SlackEscape(notice.Summary)));
        }

        if (notice.Mentions.Count > 0)
        {
            // Slack mentions by member id (U…, W…); anything else is only shown.
            blocks.Add(SlackSection(string.Join(" ", notice.Mentions.Select(m => SlackMemberId().IsMatch(m) ? $"<@{m}>" : SlackEscape(m)))));
        }

        if (notice.Table is { } table)
        {
            blocks.Add(SlackSection(Join(SlackFenced(table.AlignedLines(), SlackSectionChars))));
        }

        foreach (var details in notice.Details)
        {
            var heading = $"*{SlackEscape(details.Heading)}*";
            var room = SlackSectionChars - heading.Length - 1;
            var body = details.IsMarkdown
                ? Fit(details.Lines.Select(SlackEscape).ToList(), null, room)
                : SlackFenced(details.Lines, room);
            blocks.Add(SlackSection(heading + "\n" + Join(body)));
        }

        if (notice.Link is { } link)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = $"<{link.Url}|{SlackEscape(link.Text)}>" }),
            });
        }

        // The text is what notifications and clients without blocks show.
        return new JsonObject { ["text"] = notice.Title, ["blocks"] = blocks };
    }

    private static JsonObject Generic(ReleaseNotice notice)
    {
        var json = new JsonObject { ["title"] = notice.Title };
        if (notice.Summary is not null)
        {
            json["summary"] = notice.Summary;
        }

        if (notice.Table is { } table)
        {
            json["table"] = new JsonObject
            {
                ["columns"] = new JsonArray([.. table.Columns.Select(c => (JsonNode?)c)]),
                ["rows"] = new JsonArray([.. table.Rows.Select(r => (JsonNode?)new JsonArray([.. r.Select(c => (JsonNode?)c)]))]),
            };
        }

        if (notice.Details.Count > 0)
        {
            json["details"] = new JsonArray([.. notice.Details.Select(d => (JsonNode?)new JsonObject
            {
                ["heading"] = d.Heading,
                ["text"] = d.Text,
                ["format"] = d.IsMarkdown ? "markdown" : "text",
            })]);
        }

        if (notice.Link is { } link)
        {
            json["link"] = new JsonObject { ["text"] = link.Text, ["url"] = link.Url };
        }

        if (notice.Mentions.Count > 0)
        {
            json["mentions"] = new JsonArray([.. notice.Mentions.Select(m => (JsonNode?)m)]);
        }

        return json;
    }

    internal static IReadOnlyList<string> MarkdownTable(NoticeTable table)
    {
        static string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells.Select(c => c.Replace("|", "\\|").ReplaceLineEndings(" "))) + " |";
        return [Row(table.Columns), Row(table.Columns.Select(_ => "---")), .. table.Rows.Select(Row)];
    }

    /// <summary>
    /// Keeps whole lines while they fit in <paramref name="maxBytes"/> UTF-8 bytes, then says how many were left out;
    /// <paramref name="last"/> (the link) is always kept.
    /// </summary>
    internal static IReadOnlyList<string> Fit(IReadOnlyList<string> lines, string? last, int maxBytes)
    {
        // The blank line before the link is added here; the sections' own trailing blank lines would double it.
        var end = lines.Count;
        while (last is not null && end > 0 && lines[end - 1].Length == 0)
        {
            end--;
        }

        lines = lines.Take(end).ToList();
        var tail = last is null ? [] : new[] { string.Empty, last };
        var used = tail.Sum(l => Bytes(l) + 1);
        if (lines.Sum(l => Bytes(l) + 1) + used <= maxBytes)
        {
            return [.. lines, .. tail];
        }

        var kept = new List<string>();
        const int noteRoom = 60;
        foreach (var line in lines)
        {
            if (used + Bytes(line) + 1 + noteRoom > maxBytes)
            {
                break;
            }

            kept.Add(line);
            used += Bytes(line) + 1;
        }

        kept.Add($"… {lines.Count - kept.Count} more lines not shown");
        return [.. kept, .. tail];
    }

    private static IReadOnlyList<string> Fenced(IReadOnlyList<string> lines, int maxBytes) =>
        ["```text", .. Fit(lines, null, maxBytes - 12), "```"];

    private static IReadOnlyList<string> SlackFenced(IReadOnlyList<string> lines, int maxChars) =>
        ["```", .. Fit(lines.Select(SlackEscape).ToList(), null, maxChars - 8), "```"];

    private static JsonObject SlackSection(string text) =>
        new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text } };

    // Slack reads &, < and > as control characters in every text field.
    private static string SlackEscape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static void AddIf(List<string> lines, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            lines.Add(text);
        }
    }

    private static void AddParagraph(List<string> lines, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            lines.Add(text);
            lines.Add(string.Empty);
        }
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Join(IEnumerable<string> lines) => string.Join("\n", lines);

    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    private static bool IsMobile(string mention) => mention.Length >= 7 && mention.TrimStart('+').All(char.IsAsciiDigit);

    [System.Text.RegularExpressions.GeneratedRegex("^[UW][A-Z0-9]{2,}$")]
    private static partial System.Text.RegularExpressions.Regex SlackMemberId();
}
