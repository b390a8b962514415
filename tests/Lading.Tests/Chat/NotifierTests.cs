using Lading.Chat;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Chat;

/// <summary>Notifier against a loopback webhook receiver: what is posted, retried, and reported when a chat fails.</summary>
public sealed class NotifierTests : IDisposable
{
    private const string Key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
    private readonly RecordingHttpServer _server = new();
    private readonly Notifier _notifier = new(timeout: TimeSpan.FromSeconds(5), retryDelay: TimeSpan.Zero);

    public void Dispose()
    {
        _notifier.Dispose();
        _server.Dispose();
    }

    private Webhook Hook(WebhookKind kind = WebhookKind.WeCom, string env = "WECOM_URL") =>
        new(kind, $"{_server.BaseAddress}cgi-bin/webhook/send?key={Key}", env);

    private Task<NotificationReport> Notify(params Webhook[] hooks) =>
        _notifier.NotifyAsync(ChatPayloadTests.Notice, hooks, CancellationToken.None);

    private static void AssertNoUrl(string? text)
    {
        Assert.NotNull(text);
        Assert.DoesNotContain(Key, text);
        Assert.DoesNotContain("cgi-bin", text);
    }

    [Theory]
    [InlineData(WebhookKind.WeCom, """{"errcode":0,"errmsg":"ok"}""")]
    [InlineData(WebhookKind.DingTalk, """{"errcode":0,"errmsg":"ok"}""")]
    [InlineData(WebhookKind.Feishu, """{"code":0,"data":{},"msg":"success"}""")]
    [InlineData(WebhookKind.Slack, "ok")]
    [InlineData(WebhookKind.Json, "")]
    public async Task Each_chat_receives_its_payload_posted_as_json_to_the_webhook(WebhookKind kind, string answer)
    {
        _server.Answer(_ => new RecordedResponse(200, answer));

        var report = await Notify(Hook(kind));

        Assert.True(report.AllDelivered, string.Join("; ", report.Warnings));
        Assert.Empty(report.Warnings);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/cgi-bin/webhook/send", request.Path);
        Assert.Equal($"?key={Key}", request.Query);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal(ChatPayload.For(kind, ChatPayloadTests.Notice), request.Body);
    }

    [Fact]
    public async Task A_server_error_is_retried_once_and_then_delivered()
    {
        _server.AnswerInTurn(new RecordedResponse(500, "busy"), new RecordedResponse(200, """{"errcode":0,"errmsg":"ok"}"""));

        var report = await Notify(Hook());

        var delivery = Assert.Single(report.Deliveries);
        Assert.True(delivery.Delivered);
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(_server.Requests[0].Body, _server.Requests[1].Body);
    }

    [Fact]
    public async Task A_server_error_twice_is_a_warning_after_one_retry()
    {
        _server.Answer(_ => new RecordedResponse(503, "maintenance", "text/plain"));

        var report = await Notify(Hook());

        var warning = Assert.Single(report.Warnings);
        Assert.Equal("wecom webhook (WECOM_URL) was not notified: it answered 503 ServiceUnavailable again after a retry: maintenance", warning);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        _server.Answer(_ => new RecordedResponse(404, "no_service", "text/plain"));

        var report = await Notify(Hook(WebhookKind.Slack, "SLACK_URL"));

        Assert.Equal("slack webhook (SLACK_URL) was not notified: it answered 404 NotFound: no_service", Assert.Single(report.Warnings));
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData(WebhookKind.WeCom, """{"errcode":93000,"errmsg":"invalid webhook url"}""", "errcode 93000 invalid webhook url")]
    [InlineData(WebhookKind.DingTalk, """{"errcode":310000,"errmsg":"keywords not in content"}""", "errcode 310000 keywords not in content")]
    [InlineData(WebhookKind.Feishu, """{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}""", "code 19021 sign match fail")]
    [InlineData(WebhookKind.Feishu, """{"StatusCode":9499,"StatusMessage":"Bad Request"}""", "StatusCode 9499 Bad Request")]
    public async Task A_refusal_in_a_200_answer_is_a_warning_with_the_chats_code(WebhookKind kind, string answer, string expected)
    {
        _server.Answer(_ => new RecordedResponse(200, answer));

        var report = await Notify(Hook(kind, "CHAT_URL"));

        var warning = Assert.Single(report.Warnings);
        Assert.StartsWith($"{kind.ToString().ToLowerInvariant()} webhook (CHAT_URL) was not notified: the chat refused the message: {expected}", warning);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task An_answer_that_quotes_the_webhook_address_is_masked_in_the_warning()
    {
        _server.Answer(r => new RecordedResponse(200, $$"""{"errcode":93000,"errmsg":"invalid webhook url {{r.Path}}{{r.Query}}, key {{Key}}"}"""));

        var report = await Notify(Hook());

        var warning = Assert.Single(report.Warnings);
        AssertNoUrl(warning);
        Assert.Contains("errcode 93000", warning);
    }

    [Fact]
    public async Task Nothing_listening_is_a_warning_not_an_exception()
    {
        var dead = new Webhook(WebhookKind.DingTalk, $"http://127.0.0.1:{FreePort.Next()}/robot/send?access_token={Key}", "DINGTALK_URL");

        var report = await Notify(dead);

        var warning = Assert.Single(report.Warnings);
        Assert.Equal("dingtalk webhook (DINGTALK_URL) was not notified: the connection was refused or the host is unreachable", warning);
        AssertNoUrl(warning);
    }

    [Fact]
    public async Task A_host_name_that_does_not_resolve_is_a_warning_without_the_address()
    {
        var nowhere = new Webhook(WebhookKind.Feishu, $"http://lading-test.invalid/open-apis/bot/v2/hook/{Key}", "FEISHU_URL");

        var report = await Notify(nowhere);

        var warning = Assert.Single(report.Warnings);
        Assert.StartsWith("feishu webhook (FEISHU_URL) was not notified: ", warning);
        AssertNoUrl(warning);
        Assert.DoesNotContain("lading-test.invalid", warning);
    }

    [Fact]
    public async Task A_chat_that_does_not_answer_in_time_is_a_warning()
    {
        _server.Answer(_ => new RecordedResponse(200, "{}", Delay: TimeSpan.FromSeconds(10)));
        using var notifier = new Notifier(timeout: TimeSpan.FromMilliseconds(300), retryDelay: TimeSpan.Zero);

        var report = await notifier.NotifyAsync(ChatPayloadTests.Notice, [Hook()], CancellationToken.None);

        Assert.Equal("wecom webhook (WECOM_URL) was not notified: it did not answer within 0.3 s", Assert.Single(report.Warnings));
    }

    [Fact]
    public async Task A_failed_chat_does_not_keep_the_others_from_being_told()
    {
        _server.Answer(_ => new RecordedResponse(200, """{"errcode":0,"errmsg":"ok"}"""));
        var dead = new Webhook(WebhookKind.Slack, $"http://127.0.0.1:{FreePort.Next()}/services/T000/B000/{Key}", "SLACK_URL");

        var report = await Notify(dead, Hook());

        Assert.Equal([false, true], report.Deliveries.Select(d => d.Delivered));
        Assert.StartsWith("slack webhook (SLACK_URL)", Assert.Single(report.Warnings));
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("ftp://example.com/hook")]
    public async Task A_missing_or_malformed_address_is_a_warning_naming_its_variable(string url)
    {
        var report = await Notify(new Webhook(WebhookKind.WeCom, url, "WECOM_URL"));

        var warning = Assert.Single(report.Warnings);
        Assert.StartsWith("wecom webhook (WECOM_URL) was not notified: ", warning);
        Assert.Contains("WECOM_URL", warning[26..]);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Cancelling_the_build_cancels_the_notification()
    {
        _server.Answer(_ => new RecordedResponse(200, "{}", Delay: TimeSpan.FromSeconds(10)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _notifier.NotifyAsync(ChatPayloadTests.Notice, [Hook()], cancel.Token));
    }

    [Fact]
    public void A_webhook_and_its_delivery_print_the_variable_never_the_address()
    {
        var hook = Hook();

        Assert.Equal("wecom webhook (WECOM_URL)", hook.ToString());
        AssertNoUrl(new WebhookDelivery(hook, true, 1, null).ToString());
        AssertNoUrl(new NotificationReport([new WebhookDelivery(hook, true, 1, null)]).ToString());
    }

    [Theory]
    [InlineData("wecom", WebhookKind.WeCom)]
    [InlineData("DingTalk", WebhookKind.DingTalk)]
    [InlineData("feishu", WebhookKind.Feishu)]
    [InlineData("lark", WebhookKind.Feishu)]
    [InlineData("slack", WebhookKind.Slack)]
    [InlineData("json", WebhookKind.Json)]
    public void A_recipes_kind_names_the_chat(string name, WebhookKind kind) =>
        Assert.Equal(kind, Webhook.ParseKind(name));
}
