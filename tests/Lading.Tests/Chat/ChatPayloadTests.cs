using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lading.Chat;

namespace Lading.Tests.Chat;

/// <summary>The exact body each chat receives for one release notice.</summary>
public sealed class ChatPayloadTests
{
    internal static readonly ReleaseNotice Notice = new("Release v2.10.2")
    {
        Summary = "2 components changed on release-2.10",
        Table = NoticeTable.Of(["component", "old tag", "new tag"], [["cyclone", "v1.2.0", "v1.2.1"], ["devops-console", "v2.0.0", "v2.1.0-rc.1"]]),
        Details = [new("Image list changes", "+ release/cyclone:v1.2.1\n- release/cyclone:v1.2.0")],
        Link = new("Pull request #41", "https://github.example.com/paas/platform-release/pull/41"),
    };

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected{Environment.NewLine}{expected}{Environment.NewLine}actual{Environment.NewLine}{actual}");

    [Fact]
    public void WeCom_gets_markdown_with_the_table_as_aligned_monospaced_lines()
    {
        AssertJson("""
            {"msgtype": "markdown", "markdown": {"content":
              "### Release v2.10.2\n2 components changed on release-2.10\n`component       old tag  new tag`\n`cyclone         v1.2.0   v1.2.1`\n`devops-console  v2.0.0   v2.1.0-rc.1`\n**Image list changes**\n> + release/cyclone:v1.2.1\n> - release/cyclone:v1.2.0\n\n[Pull request #41](https://github.example.com/paas/platform-release/pull/41)"}}
            """, ChatPayload.For(WebhookKind.WeCom, Notice));
    }

    [Fact]
    public void DingTalk_gets_markdown_with_a_title_and_a_markdown_table()
    {
        AssertJson("""
            {"msgtype": "markdown", "markdown": {"title": "Release v2.10.2", "text":
              "### Release v2.10.2\n\n2 components changed on release-2.10\n\n| component | old tag | new tag |\n| --- | --- | --- |\n| cyclone | v1.2.0 | v1.2.1 |\n| devops-console | v2.0.0 | v2.1.0-rc.1 |\n\n**Image list changes**\n\n> + release/cyclone:v1.2.1  \n> - release/cyclone:v1.2.0  \n\n[Pull request #41](https://github.example.com/paas/platform-release/pull/41)"}}
            """, ChatPayload.For(WebhookKind.DingTalk, Notice));
    }

    [Fact]
    public void Feishu_gets_an_interactive_card_whose_markdown_holds_the_table()
    {
        AssertJson("""
            {"msg_type": "interactive", "card": {
              "schema": "2.0",
              "header": {"title": {"tag": "plain_text", "content": "Release v2.10.2"}, "template": "blue"},
              "body": {"elements": [{"tag": "markdown", "content":
                "2 components changed on release-2.10\n\n| component | old tag | new tag |\n| --- | --- | --- |\n| cyclone | v1.2.0 | v1.2.1 |\n| devops-console | v2.0.0 | v2.1.0-rc.1 |\n\n**Image list changes**\n```text\n+ release/cyclone:v1.2.1\n- release/cyclone:v1.2.0\n```\n\n[Pull request #41](https://github.example.com/paas/platform-release/pull/41)"}]}}}
            """, ChatPayload.For(WebhookKind.Feishu, Notice));
    }

    [Fact]
    public void Slack_gets_blocks_with_the_table_as_a_code_block_and_a_fallback_text()
    {
        AssertJson("""
            {"text": "Release v2.10.2", "blocks": [
              {"type": "header", "text": {"type": "plain_text", "text": "Release v2.10.2"}},
              {"type": "section", "text": {"type": "mrkdwn", "text": "2 components changed on release-2.10"}},
              {"type": "section", "text": {"type": "mrkdwn", "text": "```\ncomponent       old tag  new tag\ncyclone         v1.2.0   v1.2.1\ndevops-console  v2.0.0   v2.1.0-rc.1\n```"}},
              {"type": "section", "text": {"type": "mrkdwn", "text": "*Image list changes*\n```\n+ release/cyclone:v1.2.1\n- release/cyclone:v1.2.0\n```"}},
              {"type": "context", "elements": [{"type": "mrkdwn", "text": "<https://github.example.com/paas/platform-release/pull/41|Pull request #41>"}]}]}
            """, ChatPayload.For(WebhookKind.Slack, Notice));
    }

    [Fact]
    public void Json_gets_the_notice_itself()
    {
        AssertJson("""
            {"title": "Release v2.10.2", "summary": "2 components changed on release-2.10",
             "table": {"columns": ["component", "old tag", "new tag"], "rows": [["cyclone", "v1.2.0", "v1.2.1"], ["devops-console", "v2.0.0", "v2.1.0-rc.1"]]},
             "details": [{"heading": "Image list changes", "text": "+ release/cyclone:v1.2.1\n- release/cyclone:v1.2.0", "format": "text"}],
             "link": {"text": "Pull request #41", "url": "https://github.example.com/paas/platform-release/pull/41"}}
            """, ChatPayload.For(WebhookKind.Json, Notice));
    }

    [Fact]
    public void A_title_alone_is_a_valid_message_for_every_chat()
    {
        foreach (var kind in Enum.GetValues<WebhookKind>())
        {
            var json = ChatPayload.For(kind, new ReleaseNotice("Release v2.10.2"));
            Assert.Contains("Release v2.10.2", json);
            Assert.DoesNotContain("| ---", json);
        }
    }

    [Fact]
    public void Pipes_in_a_cell_do_not_break_the_markdown_table()
    {
        var notice = new ReleaseNotice("t") { Table = NoticeTable.Of(["a", "b"], [["x|y", "z"]]) };

        var text = JsonNode.Parse(ChatPayload.For(WebhookKind.DingTalk, notice))!["markdown"]!["text"]!.GetValue<string>();

        Assert.Contains("| x\\|y | z |", text);
    }

    [Fact]
    public void Slack_escapes_its_control_characters()
    {
        var notice = new ReleaseNotice("t") { Summary = "a <b> & c", Link = new("PR & notes", "https://example.com/pr") };

        var json = ChatPayload.For(WebhookKind.Slack, notice);

        Assert.Contains("a &lt;b&gt; &amp; c", json);
        Assert.Contains("<https://example.com/pr|PR &amp; notes>", json);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_refused() =>
        Assert.Throws<ArgumentException>(() => NoticeTable.Of(["a", "b"], [["only one"]]));

    [Fact]
    public void A_long_image_diff_is_cut_to_each_chats_limit_keeping_the_link()
    {
        var diff = string.Join("\n", Enumerable.Range(1, 5000).Select(i => $"+ release/component-{i}:v1.0.{i}"));
        var notice = Notice with { Details = [new("Image list changes", diff)] };

        var wecom = JsonNode.Parse(ChatPayload.For(WebhookKind.WeCom, notice))!["markdown"]!["content"]!.GetValue<string>();
        var dingtalk = JsonNode.Parse(ChatPayload.For(WebhookKind.DingTalk, notice))!["markdown"]!["text"]!.GetValue<string>();
        var feishu = JsonNode.Parse(ChatPayload.For(WebhookKind.Feishu, notice))!["card"]!["body"]!["elements"]![0]!["content"]!.GetValue<string>();
        var slack = JsonNode.Parse(ChatPayload.For(WebhookKind.Slack, notice))!["blocks"]!.AsArray();

        Assert.InRange(Encoding.UTF8.GetByteCount(wecom), 3000, 4096);
        Assert.InRange(Encoding.UTF8.GetByteCount(dingtalk), 10000, 20000);
        Assert.InRange(Encoding.UTF8.GetByteCount(feishu), 10000, 30000);
        Assert.All(slack, b => Assert.True((b!["text"]?["text"]?.GetValue<string>().Length ?? 0) <= 3000));
        Assert.EndsWith("[Pull request #41](https://github.example.com/paas/platform-release/pull/41)", wecom);
        Assert.EndsWith("[Pull request #41](https://github.example.com/paas/platform-release/pull/41)", dingtalk);
        Assert.EndsWith("[Pull request #41](https://github.example.com/paas/platform-release/pull/41)", feishu);
        Assert.Contains("more lines not shown", wecom);
        Assert.Contains("more lines not shown\n```", feishu);
        Assert.Contains("more lines not shown\n```", slack[3]!["text"]!["text"]!.GetValue<string>());
        Assert.Contains("devops-console", wecom);
    }
    [Fact]
    public void The_notice_as_markdown_is_a_pull_request_body_with_the_table_and_a_diff_block()
    {
        var body = (Notice with { Link = null }).ToMarkdown();

        Assert.Equal(
            """
            2 components changed on release-2.10

            | component | old tag | new tag |
            | --- | --- | --- |
            | cyclone | v1.2.0 | v1.2.1 |
            | devops-console | v2.0.0 | v2.1.0-rc.1 |

            ### Image list changes

            ```diff
            + release/cyclone:v1.2.1
            - release/cyclone:v1.2.0
            ```

            """.ReplaceLineEndings("\n"),
            body);
    }

    [Fact]
    public void The_markdown_carries_the_title_when_asked() =>
        Assert.StartsWith("## Release v2.10.2\n\n2 components", Notice.ToMarkdown(withTitle: true));

    [Fact]
    public void Owners_are_mentioned_the_way_each_chat_mentions_people()
    {
        var notice = new ReleaseNotice("3 image(s) missing") { Mentions = ["zhangsan", "13800138000", "lisi@example.com", "U024BE7LH"] };

        var wecom = JsonNode.Parse(ChatPayload.For(WebhookKind.WeCom, notice))!;
        Assert.Equal("### 3 image(s) missing\n<@zhangsan> <@13800138000> lisi@example.com <@U024BE7LH>", wecom["markdown"]!["content"]!.GetValue<string>());

        var dingtalk = JsonNode.Parse(ChatPayload.For(WebhookKind.DingTalk, notice))!;
        Assert.Equal("### 3 image(s) missing\n\n@zhangsan @13800138000 lisi@example.com @U024BE7LH", dingtalk["markdown"]!["text"]!.GetValue<string>());
        AssertJson("""{"atMobiles": ["13800138000"], "atUserIds": ["zhangsan", "U024BE7LH"], "isAtAll": false}""", dingtalk["at"]!.ToJsonString());

        var feishu = ChatPayload.Build(WebhookKind.Feishu, notice)["card"]!["body"]!["elements"]![0]!["content"]!.GetValue<string>();
        Assert.Equal("<at id=zhangsan></at> <at id=13800138000></at> <at email=lisi@example.com></at> <at id=U024BE7LH></at>", feishu);

        var slack = ChatPayload.Build(WebhookKind.Slack, notice)["blocks"]![1]!["text"]!["text"]!.GetValue<string>();
        Assert.Equal("zhangsan 13800138000 lisi@example.com <@U024BE7LH>", slack);

        var json = ChatPayload.Build(WebhookKind.Json, notice);
        AssertJson("""["zhangsan", "13800138000", "lisi@example.com", "U024BE7LH"]""", json["mentions"]!.ToJsonString());
        Assert.Contains("Owners: zhangsan, 13800138000, lisi@example.com, U024BE7LH", notice.ToMarkdown());
    }

    [Fact]
    public void A_notice_without_mentions_carries_no_at_block() =>
        Assert.Null(ChatPayload.Build(WebhookKind.DingTalk, Notice)["at"]);
}
