using System.Net;
using System.Security.Cryptography;
using Lading.Chat;
using Lading.Files;
using Lading.Packaging.Upload;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Files;

/// <summary>
/// Servers that trickle, stall or never stop, for the downloads of files.list, the upload of a package and a chat's
/// webhook: the one idle-timeout rule ends every wait, retries like a dropped connection, and names the address.
/// </summary>
public sealed class HostileServerTests : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(400);
    private readonly TempFolder _folder = new("lading-hostile-server");
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly EndlessBody _endless;

    public HostileServerTests() => _endless = new EndlessBody(_stop.Token);

    public void Dispose()
    {
        _stop.Cancel();
        _http.Dispose();
        _folder.Dispose();
    }

    private DownloadOptions Options => new() { MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(10), IdleTimeout = Idle, MaxFileSize = 4 << 20 };

    [Fact]
    public async Task A_download_that_stalls_midway_is_dropped_after_the_idle_time_and_resumed()
    {
        var content = RandomNumberGenerator.GetBytes(100_000);
        await using var server = new RecordingHttpServer(async (context, seen) =>
        {
            if (seen.Number == 1)
            {
                // Half the file, then silence: the trickle that kept a build waiting for minutes.
                context.Response.ContentLength64 = content.Length;
                await context.Response.OutputStream.WriteAsync(content.AsMemory(0, 50_000));
                await context.Response.OutputStream.FlushAsync();
                await Task.Delay(TimeSpan.FromSeconds(20), _stop.Token).ContinueWith(_ => { });
                context.Response.Abort();
                return;
            }

            var from = int.Parse(context.Request.Headers["Range"]!.Split('=', '-')[1]);
            context.Response.StatusCode = 206;
            context.Response.Headers["Content-Range"] = $"bytes {from}-{content.Length - 1}/{content.Length}";
            await RecordingHttpServer.WriteAsync(context, 206, content[from..]);
        });
        var entry = FileEntry.Create($"http://{server.Host}/bin/kubeadm", Convert.ToHexStringLower(SHA256.HashData(content)));

        var result = await new Downloader(_http, Options).DownloadOneAsync(entry, _folder.Combine("files"), null, CancellationToken.None);

        Assert.Equal((DownloadOutcome.Resumed, 2), (result.Outcome, result.Attempts));
        Assert.Equal(content, File.ReadAllBytes(result.Path));
    }

    [Fact]
    public async Task A_download_that_always_stalls_fails_naming_its_address()
    {
        await using var server = new RecordingHttpServer(StallAsync);
        var entry = FileEntry.Create($"http://{server.Host}/bin/kubeadm", null);

        var error = await Assert.ThrowsAsync<DownloadException>(() => new Downloader(_http, Options).DownloadOneAsync(entry, _folder.Combine("files"), null, CancellationToken.None));

        Assert.Equal(
            $"Download of http://{server.Host}/bin/kubeadm failed: the connection failed 3 times; the last time: nothing arrived from http://{server.Host}/bin/kubeadm for 0.4s (after 10 bytes)",
            error.Message);
    }

    [Fact]
    public async Task A_download_without_length_that_never_ends_is_cut_off_at_the_limit_and_removed()
    {
        await using var server = new RecordingHttpServer((context, _) => _endless.SendAsync(context, 200));
        var entry = FileEntry.Create($"http://{server.Host}/bin/endless", null);

        var error = await Assert.ThrowsAsync<DownloadException>(() => new Downloader(_http, Options).DownloadOneAsync(entry, _folder.Combine("files"), null, CancellationToken.None));

        Assert.Equal($"Download of http://{server.Host}/bin/endless failed: it sent more than 4194304 bytes, the largest file accepted (--max-blob-gib); the partial file was removed.", error.Message);
        Assert.Empty(Directory.GetFiles(_folder.Combine("files"), "*", SearchOption.AllDirectories));
        Assert.InRange(_endless.Sent, 0, 64L << 20);
    }

    [Fact]
    public async Task A_download_announced_larger_than_the_limit_is_refused_before_its_first_byte()
    {
        await using var server = new RecordingHttpServer(async (context, _) =>
        {
            context.Response.ContentLength64 = 10L << 40;
            await context.Response.OutputStream.WriteAsync(new byte[10]);
            context.Response.Abort();
        });
        var entry = FileEntry.Create($"http://{server.Host}/bin/huge", null);

        var error = await Assert.ThrowsAsync<DownloadException>(() => new Downloader(_http, Options).DownloadOneAsync(entry, _folder.Combine("files"), null, CancellationToken.None));

        Assert.Equal($"Download of http://{server.Host}/bin/huge failed: it is 10995116277760 bytes, larger than the largest file accepted (4194304 bytes, --max-blob-gib).", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_upload_the_server_stops_taking_fails_after_the_idle_time_and_is_retried()
    {
        // Reads the request line and headers, then nothing: the body fills the socket buffers and stops moving.
        using var server = new LoopbackTcpServer(async (client, _, stop) =>
        {
            using (client)
            {
                var stream = client.GetStream();
                await stream.ReadAsync(new byte[4096], stop);
                await Task.Delay(TimeSpan.FromSeconds(20), stop).ContinueWith(_ => { });
            }
        });
        var local = _folder.Combine("platform-v1.0.0.tar");
        File.WriteAllBytes(local, RandomNumberGenerator.GetBytes(32 << 20));
        var uploader = new HttpUploader(_http, new UploadOptions { MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(10), IdleTimeout = Idle });

        var error = await Assert.ThrowsAsync<UploadException>(() => uploader.UploadAsync(local, new Uri($"http://deployer:s3cret@127.0.0.1:{server.Port}/releases/"), null, null, CancellationToken.None));

        Assert.Contains($"PUT failed after 2 attempts: nothing arrived from http://127.0.0.1:{server.Port}/releases/platform-v1.0.0.tar.part for 0.4s", error.Message);
        Assert.DoesNotContain("s3cret", error.ToString());
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_chat_answering_without_end_is_a_warning_that_never_shows_its_address()
    {
        await using var server = new RecordingHttpServer((context, _) => _endless.SendAsync(context, 200));
        using var notifier = new Notifier(timeout: TimeSpan.FromSeconds(20), retryDelay: TimeSpan.Zero);
        var hook = new Webhook(WebhookKind.WeCom, $"http://{server.Host}/cgi-bin/webhook/send?key=0123456789abcdef", "WECOM_URL");

        var report = await notifier.NotifyAsync(Chat.ChatPayloadTests.Notice, [hook], CancellationToken.None);

        Assert.Equal("wecom webhook (WECOM_URL) was not notified: it answered with more than 65536 bytes, which no chat does", Assert.Single(report.Warnings));
        Assert.InRange(_endless.Sent, 0, 64L << 20);
    }

    private async Task StallAsync(HttpListenerContext context, RecordedRequest seen)
    {
        context.Response.ContentLength64 = 1000;
        await context.Response.OutputStream.WriteAsync(new byte[10]);
        await context.Response.OutputStream.FlushAsync();
        await Task.Delay(TimeSpan.FromSeconds(20), _stop.Token).ContinueWith(_ => { });
        context.Response.Abort();
    }
}
