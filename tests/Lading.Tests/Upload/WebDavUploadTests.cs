using System.Net;
using System.Security.Cryptography;
using Lading.Packaging.Upload;
using Lading.Tests.Files;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Upload;

/// <summary>Uploads over HTTP PUT to a real nginx with WebDAV on loopback.</summary>
public sealed class WebDavUploadTests : IDisposable
{
    private static readonly UploadOptions Quick = new() { MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(20) };
    private readonly TempFolder _folder = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }

    [SkippableFact]
    public async Task A_file_is_put_moved_into_place_verified_and_given_its_sha256()
    {
        using var nginx = await NginxServer.StartAsync(new NginxOptions { WebDav = true });
        var local = WriteRandom("platform-v2.10.2.tar", 2 * 1024 * 1024 + 5);
        long lastProgress = 0;

        var result = await new Uploader(_http, Quick).UploadAsync(local, new Uri(nginx.BaseUri, "releases/v2.10/"), null, new InlineProgress(p => lastProgress = Math.Max(lastProgress, p)), CancellationToken.None);

        var landed = nginx.PathOf("releases/v2.10/platform-v2.10.2.tar");
        var hex = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(local)));
        Assert.True(File.Exists(landed), nginx.Diagnostics());
        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(landed));
        Assert.Equal($"{hex}  platform-v2.10.2.tar\n", File.ReadAllText(landed + ".sha256"));
        Assert.False(File.Exists(landed + ".part"));
        Assert.True(result.Verified);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(new Uri(nginx.BaseUri, "releases/v2.10/platform-v2.10.2.tar"), result.Location);
        Assert.Contains("\"MOVE /releases/v2.10/platform-v2.10.2.tar.part", nginx.AccessLog);
        Assert.Equal(new FileInfo(local).Length, lastProgress);
    }

    [SkippableFact]
    public async Task Basic_auth_credentials_are_sent_and_accepted()
    {
        using var nginx = await NginxServer.StartAsync(new NginxOptions { WebDav = true, BasicAuth = ("deployer", "s3cret-Pa55") });
        var local = WriteRandom("charts.tar.gz", 300_000);

        await new Uploader(_http, Quick).UploadAsync(local, nginx.BaseUri, new UploadCredentials("deployer", "s3cret-Pa55"), null, CancellationToken.None);

        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(nginx.PathOf("charts.tar.gz")));
        Assert.True(File.Exists(nginx.PathOf("charts.tar.gz.sha256")));
    }

    [SkippableFact]
    public async Task A_wrong_password_is_a_clear_401_error_that_never_shows_the_password()
    {
        using var nginx = await NginxServer.StartAsync(new NginxOptions { WebDav = true, BasicAuth = ("deployer", "s3cret-Pa55") });
        var local = WriteRandom("charts.tar.gz", 300_000);
        var destination = new Uri($"http://deployer:Wr0ng-Guess@127.0.0.1:{nginx.Port}/releases/");

        var error = await Assert.ThrowsAsync<UploadException>(() => new Uploader(_http, Quick).UploadAsync(local, destination, null, null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Contains($"http://127.0.0.1:{nginx.Port}/releases/charts.tar.gz.part", error.Message);
        Assert.Contains("401", error.Message);
        Assert.Contains("password is wrong", error.Message);
        Assert.DoesNotContain("Wr0ng-Guess", error.ToString());
        Assert.DoesNotContain("deployer:", error.ToString());
        Assert.False(File.Exists(nginx.PathOf("releases/charts.tar.gz")));
    }

    [SkippableFact]
    public async Task A_connection_dropped_midway_restarts_the_put_and_the_file_still_arrives_whole()
    {
        using var nginx = await NginxServer.StartAsync(new NginxOptions { WebDav = true });
        using var proxy = new DroppingProxy(nginx.Port, n => n == 0 ? new Cut(RequestBytes: 400_000) : null);
        var local = WriteRandom("images.tar", 1_500_000);

        var result = await new Uploader(_http, Quick).UploadAsync(local, proxy.BaseUri, null, null, CancellationToken.None);

        Assert.Equal(2, result.Attempts);
        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(nginx.PathOf("images.tar")));
    }

    [SkippableFact]
    public async Task Server_errors_are_retried_and_the_upload_completes()
    {
        using var nginx = await NginxServer.StartAsync(new NginxOptions { WebDav = true });
        using var http = new HttpClient(new FailingFirst(2, HttpStatusCode.BadGateway));
        var local = WriteRandom("images.tar", 200_000);

        var result = await new Uploader(http, Quick).UploadAsync(local, nginx.BaseUri, null, null, CancellationToken.None);

        Assert.Equal(3, result.Attempts);
        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(nginx.PathOf("images.tar")));
    }

    [SkippableFact]
    public async Task Server_errors_that_persist_end_in_an_error_with_the_last_status()
    {
        using var nginx = await NginxServer.StartAsync(new NginxOptions { WebDav = true });
        using var http = new HttpClient(new FailingFirst(10, HttpStatusCode.ServiceUnavailable));
        var local = WriteRandom("images.tar", 200_000);

        var error = await Assert.ThrowsAsync<UploadException>(() => new Uploader(http, Quick).UploadAsync(local, nginx.BaseUri, null, null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Contains("HTTP 503", error.Message);
        Assert.False(File.Exists(nginx.PathOf("images.tar")));
    }

    [SkippableFact]
    public async Task An_upload_failing_midstream_every_time_never_leaves_the_final_name()
    {
        using var nginx = await NginxServer.StartAsync(new NginxOptions { WebDav = true });
        using var proxy = new DroppingProxy(nginx.Port, _ => new Cut(RequestBytes: 400_000));
        var local = WriteRandom("images.tar", 1_500_000);

        var error = await Assert.ThrowsAsync<UploadException>(() => new Uploader(_http, Quick).UploadAsync(local, new Uri(proxy.BaseUri, "out/"), null, null, CancellationToken.None));

        Assert.Contains("after 3 attempts", error.Message);
        Assert.Contains($"127.0.0.1:{proxy.Port}/out/images.tar.part", error.Message);
        Assert.Equal(3, proxy.Connections);
        Assert.False(File.Exists(nginx.PathOf("out/images.tar")));
        Assert.False(File.Exists(nginx.PathOf("out/images.tar.sha256")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_server_keeping_partial_bodies_never_shows_one_under_the_final_name(bool supportsMove)
    {
        using var naive = new NaiveDavServer(_folder.Combine("naive"), supportsMove);
        using var proxy = new DroppingProxy(naive.Port, _ => new Cut(RequestBytes: 300_000));
        var local = WriteRandom("platform-v2.10.2.tar", 1_000_000);

        var error = await Assert.ThrowsAsync<UploadException>(() => new Uploader(_http, Quick).UploadAsync(local, proxy.BaseUri, null, null, CancellationToken.None));

        Assert.Contains("after 3 attempts", error.Message);
        Assert.True(File.Exists(naive.PathOf("platform-v2.10.2.tar.part")), "the careless server kept the cut body");
        Assert.False(File.Exists(naive.PathOf("platform-v2.10.2.tar")));
        Assert.All(naive.Requests, r => Assert.StartsWith("PUT /platform-v2.10.2.tar.part", r));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_server_keeping_partial_bodies_ends_with_the_whole_file_once_a_put_gets_through(bool supportsMove)
    {
        using var naive = new NaiveDavServer(_folder.Combine("naive"), supportsMove);
        using var proxy = new DroppingProxy(naive.Port, n => n == 0 ? new Cut(RequestBytes: 300_000) : null);
        var local = WriteRandom("platform-v2.10.2.tar", 1_000_000);

        var result = await new Uploader(_http, Quick).UploadAsync(local, proxy.BaseUri, null, null, CancellationToken.None);

        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(naive.PathOf("platform-v2.10.2.tar")));
        Assert.False(File.Exists(naive.PathOf("platform-v2.10.2.tar.part")));
        Assert.True(result.Verified);
        Assert.Equal(!supportsMove, naive.Requests.Contains("PUT /platform-v2.10.2.tar"));
    }

    [Fact]
    public async Task A_file_the_server_reports_with_another_size_is_removed_and_the_upload_fails()
    {
        using var naive = new NaiveDavServer(_folder.Combine("naive"), supportsMove: true, headSizeOffset: -1);
        var local = WriteRandom("platform-v2.10.2.tar", 100_000);

        var error = await Assert.ThrowsAsync<UploadException>(() => new Uploader(_http, Quick).UploadAsync(local, new Uri($"http://127.0.0.1:{naive.Port}/"), null, null, CancellationToken.None));

        Assert.Contains("the server holds 99999 bytes after the upload, the file has 100000", error.Message);
        Assert.False(File.Exists(naive.PathOf("platform-v2.10.2.tar")));
        Assert.False(File.Exists(naive.PathOf("platform-v2.10.2.tar.sha256")));
    }

    [Fact]
    public async Task A_direct_put_cut_midway_on_a_server_without_move_is_deleted_again()
    {
        using var naive = new NaiveDavServer(_folder.Combine("naive"), supportsMove: false);
        // Connections: the .part PUT, the refused MOVE, then three attempts at the final name, all cut.
        using var proxy = new DroppingProxy(naive.Port, n => n is >= 2 and <= 4 ? new Cut(RequestBytes: 300_000) : null);
        var local = WriteRandom("platform-v2.10.2.tar", 1_000_000);

        var error = await Assert.ThrowsAsync<UploadException>(() => new Uploader(_http, Quick).UploadAsync(local, proxy.BaseUri, null, null, CancellationToken.None));

        Assert.Contains($"127.0.0.1:{proxy.Port}/platform-v2.10.2.tar failed", error.Message);
        Assert.Contains("DELETE /platform-v2.10.2.tar", naive.Requests);
        Assert.False(File.Exists(naive.PathOf("platform-v2.10.2.tar")));
        Assert.False(File.Exists(naive.PathOf("platform-v2.10.2.tar.part")));
    }

    [SkippableFact]
    public async Task A_server_without_move_gets_the_final_name_put_directly_and_no_part_left()
    {
        using var nginx = await NginxServer.StartAsync(new NginxOptions { WebDav = true, DavMethods = "PUT DELETE" });
        var local = WriteRandom("hotfix-v2.10.3.tar", 700_000);

        var result = await new Uploader(_http, Quick).UploadAsync(local, new Uri(nginx.BaseUri, "hotfix/"), null, null, CancellationToken.None);

        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(nginx.PathOf("hotfix/hotfix-v2.10.3.tar")));
        Assert.False(File.Exists(nginx.PathOf("hotfix/hotfix-v2.10.3.tar.part")), nginx.AccessLog);
        Assert.Contains("\"MOVE /hotfix/hotfix-v2.10.3.tar.part", nginx.AccessLog);
        Assert.True(result.Verified);
    }

    [SkippableFact]
    public async Task A_server_without_move_fails_the_upload_when_direct_put_is_turned_off()
    {
        using var nginx = await NginxServer.StartAsync(new NginxOptions { WebDav = true, DavMethods = "PUT DELETE" });
        var local = WriteRandom("hotfix-v2.10.3.tar", 10_000);
        var strict = Quick with { DirectPutWhenMoveUnsupported = false };

        var error = await Assert.ThrowsAsync<UploadException>(() => new Uploader(_http, strict).UploadAsync(local, nginx.BaseUri, null, null, CancellationToken.None));

        Assert.Contains("does not support MOVE", error.Message);
        Assert.False(File.Exists(nginx.PathOf("hotfix-v2.10.3.tar")));
        Assert.False(File.Exists(nginx.PathOf("hotfix-v2.10.3.tar.part")));
    }

    [SkippableFact]
    public async Task A_server_that_only_serves_files_refuses_the_put_with_its_status()
    {
        using var nginx = await NginxServer.StartAsync(new NginxOptions { WebDav = false });
        var local = WriteRandom("platform.tar", 1000);

        var error = await Assert.ThrowsAsync<UploadException>(() => new Uploader(_http, Quick).UploadAsync(local, nginx.BaseUri, null, null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, error.Status);
        Assert.Contains("HTTP 405", error.Message);
    }

    private string WriteRandom(string name, int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var path = _folder.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Answers the first requests itself with an error status, as an overloaded proxy in front of the server would.</summary>
    private sealed class FailingFirst(int count, HttpStatusCode status) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _seen;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _seen) <= count
                ? Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request })
                : base.SendAsync(request, cancellationToken);
    }

    // Reports on the caller's thread, in order; Progress<T> would post to the thread pool and may reorder.
    private sealed class InlineProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
