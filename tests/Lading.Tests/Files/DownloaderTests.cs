using System.Net;
using System.Security.Cryptography;
using Lading.Files;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Files;

/// <summary>Downloads from a real nginx on loopback, with a proxy that drops connections where a test needs it.</summary>
public sealed class DownloaderTests : IDisposable
{
    private static readonly DownloadOptions Quick = new() { Parallelism = 2, MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(20) };
    private readonly TempFolder _folder = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }

    private string FilesFolder => _folder.Combine("package", "files");

    [SkippableFact]
    public async Task Files_are_laid_out_as_files_host_path_and_verified()
    {
        using var nginx = await NginxServer.StartAsync();
        var kubelet = Serve(nginx, "release/v1.29.0/bin/linux/amd64/kubelet", 400_000);
        var list = FileList.Parse($"{nginx.BaseUri}release/v1.29.0/bin/linux/amd64/kubelet sha256:{Sha(kubelet)}", "files.list");

        var result = Assert.Single(await new Downloader(_http, Quick).DownloadAsync(list.Entries, FilesFolder, null, CancellationToken.None));

        var expected = _folder.Combine("package", "files", $"127.0.0.1:{nginx.Port}", "release", "v1.29.0", "bin", "linux", "amd64", "kubelet");
        Assert.Equal(expected, result.Path);
        Assert.Equal(kubelet, File.ReadAllBytes(expected));
        Assert.Equal(DownloadOutcome.Downloaded, result.Outcome);
        Assert.Equal(Sha(kubelet), result.Sha256);
        Assert.False(File.Exists(expected + ".part"));
    }

    [SkippableFact]
    public async Task Files_are_fetched_in_parallel_but_never_more_than_the_bound_at_once()
    {
        using var nginx = await NginxServer.StartAsync();
        var entries = Enumerable.Range(1, 7).Select(i => Entry(nginx, $"bin/tool-{i}", 50_000 + i)).ToList();
        var counting = new CountingHandler();
        using var http = new HttpClient(counting);

        var results = await new Downloader(http, Quick with { Parallelism = 3 }).DownloadAsync(entries, FilesFolder, null, CancellationToken.None);

        Assert.Equal(3, counting.MostAtOnce);
        Assert.Equal(7, counting.Requests);
        Assert.Equal(entries.Select(e => e.Url), results.Select(r => r.Entry.Url));
        Assert.All(results, r => Assert.Equal(r.Entry.Sha256, Sha(File.ReadAllBytes(r.Path))));
    }

    [SkippableFact]
    public async Task A_connection_dropped_midway_is_resumed_with_a_range_request_and_the_hash_matches()
    {
        using var nginx = await NginxServer.StartAsync();
        var content = Serve(nginx, "images/nerdctl-full.tar.gz", 2_000_000);
        using var proxy = new DroppingProxy(nginx.Port, n => n == 0 ? new Cut(ResponseBytes: 700_000) : null);
        var entry = FileEntry.Create($"{proxy.BaseUri}images/nerdctl-full.tar.gz", Sha(content));
        var reports = new List<FileProgress>();

        var result = await new Downloader(_http, Quick).DownloadOneAsync(entry, FilesFolder, new SynchronousProgress<FileProgress>(reports.Add), CancellationToken.None);

        Assert.Equal(DownloadOutcome.Resumed, result.Outcome);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(content, File.ReadAllBytes(result.Path));
        Assert.Contains("\"GET /images/nerdctl-full.tar.gz HTTP/1.1\" 206 ", nginx.AccessLog);
        Assert.Equal(2_000_000, reports[^1].BytesDone);
        Assert.Equal(2_000_000, reports[^1].BytesTotal);
        Assert.True(reports.Any(r => r.BytesDone < 700_000), "progress was reported before the drop");
    }

    [SkippableFact]
    public async Task A_part_file_left_by_an_earlier_run_is_continued_not_restarted()
    {
        using var nginx = await NginxServer.StartAsync();
        var entry = Entry(nginx, "bin/helm", 300_000, out var content);
        WritePart(entry, content[..120_000]);

        var result = await new Downloader(_http, Quick).DownloadOneAsync(entry, FilesFolder, null, CancellationToken.None);

        Assert.Equal(DownloadOutcome.Resumed, result.Outcome);
        Assert.Equal(content, File.ReadAllBytes(result.Path));
        Assert.Contains("\"GET /bin/helm HTTP/1.1\" 206 180000 ", nginx.AccessLog);
    }

    [SkippableFact]
    public async Task A_part_file_with_stale_bytes_is_thrown_away_and_the_file_fetched_whole()
    {
        using var nginx = await NginxServer.StartAsync();
        var entry = Entry(nginx, "bin/helm", 300_000, out var content);
        WritePart(entry, new byte[120_000]);

        var result = await new Downloader(_http, Quick).DownloadOneAsync(entry, FilesFolder, null, CancellationToken.None);

        Assert.Equal(DownloadOutcome.Downloaded, result.Outcome);
        Assert.Equal(content, File.ReadAllBytes(result.Path));
        Assert.Contains("\"GET /bin/helm HTTP/1.1\" 200 300000 ", nginx.AccessLog);
    }

    [SkippableFact]
    public async Task A_server_ignoring_ranges_is_read_again_from_zero()
    {
        using var nginx = await NginxServer.StartAsync(new NginxOptions { Ranges = false });
        var entry = Entry(nginx, "bin/crictl", 200_000, out var content);
        WritePart(entry, content[..50_000]);

        var result = await new Downloader(_http, Quick).DownloadOneAsync(entry, FilesFolder, null, CancellationToken.None);

        Assert.Equal(DownloadOutcome.Downloaded, result.Outcome);
        Assert.Equal(content, File.ReadAllBytes(result.Path));
    }

    [SkippableFact]
    public async Task A_hash_mismatch_names_the_url_and_both_hashes_and_removes_the_file()
    {
        using var nginx = await NginxServer.StartAsync();
        var content = Serve(nginx, "bin/kubectl", 100_000);
        var wrong = Sha([1, 2, 3]);
        var entry = FileEntry.Create($"{nginx.BaseUri}bin/kubectl", wrong);

        var error = await Assert.ThrowsAsync<DownloadException>(() => new Downloader(_http, Quick).DownloadAsync([entry], FilesFolder, null, CancellationToken.None));

        Assert.Equal($"Download of {nginx.BaseUri}bin/kubectl failed: sha256 mismatch: expected {wrong}, got {Sha(content)}; the downloaded file was removed.", error.Message);
        Assert.Equal(entry.Url, error.Url);
        var target = FileLayout.PathUnder(FilesFolder, entry.RelativePath);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".part"));
    }

    [SkippableFact]
    public async Task A_file_already_present_with_the_right_hash_is_not_fetched_again()
    {
        using var nginx = await NginxServer.StartAsync();
        var entry = Entry(nginx, "bin/etcd.tar.gz", 100_000, out var content);
        var downloader = new Downloader(_http, Quick);
        await downloader.DownloadOneAsync(entry, FilesFolder, null, CancellationToken.None);

        var again = await downloader.DownloadOneAsync(entry, FilesFolder, null, CancellationToken.None);

        Assert.Equal(DownloadOutcome.AlreadyPresent, again.Outcome);
        Assert.Equal(0, again.Attempts);
        Assert.Equal(1, Requests(nginx, "/bin/etcd.tar.gz"));
        Assert.Equal(content, File.ReadAllBytes(again.Path));
    }

    [SkippableFact]
    public async Task A_file_present_with_the_wrong_hash_is_fetched_again()
    {
        using var nginx = await NginxServer.StartAsync();
        var entry = Entry(nginx, "bin/etcd.tar.gz", 100_000, out var content);
        var target = FileLayout.PathUnder(FilesFolder, entry.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, "an older etcd");

        var result = await new Downloader(_http, Quick).DownloadOneAsync(entry, FilesFolder, null, CancellationToken.None);

        Assert.Equal(DownloadOutcome.Downloaded, result.Outcome);
        Assert.Equal(content, File.ReadAllBytes(target));
    }

    [SkippableFact]
    public async Task A_file_without_a_hash_is_fetched_again_since_nothing_proves_it_current()
    {
        using var nginx = await NginxServer.StartAsync();
        Serve(nginx, "bin/runc", 10_000);
        var entry = FileEntry.Create($"{nginx.BaseUri}bin/runc");
        var downloader = new Downloader(_http, Quick);

        await downloader.DownloadOneAsync(entry, FilesFolder, null, CancellationToken.None);
        var again = await downloader.DownloadOneAsync(entry, FilesFolder, null, CancellationToken.None);

        Assert.Equal(DownloadOutcome.Downloaded, again.Outcome);
        Assert.Equal(2, Requests(nginx, "/bin/runc"));
    }

    [SkippableFact]
    public async Task A_file_in_the_content_store_is_linked_into_place_without_a_request()
    {
        using var nginx = await NginxServer.StartAsync();
        var entry = Entry(nginx, "bin/containerd.tar.gz", 150_000, out var content);
        var cached = Quick with { Cache = _folder.Combine("cache") };
        await new Downloader(_http, cached).DownloadOneAsync(entry, _folder.Combine("first", "files"), null, CancellationToken.None);

        var second = await new Downloader(_http, cached).DownloadOneAsync(entry, FilesFolder, null, CancellationToken.None);

        Assert.Equal(DownloadOutcome.FromCache, second.Outcome);
        Assert.Equal(1, Requests(nginx, "/bin/containerd.tar.gz"));
        Assert.Equal(content, File.ReadAllBytes(second.Path));
        Assert.Equal(content, File.ReadAllBytes(_folder.Combine("cache", "files", "sha256", Sha(content))));
    }

    [SkippableFact]
    public async Task A_damaged_store_entry_is_dropped_and_the_file_fetched()
    {
        using var nginx = await NginxServer.StartAsync();
        var entry = Entry(nginx, "bin/containerd.tar.gz", 150_000, out var content);
        var stored = _folder.Write($"cache/files/sha256/{entry.Sha256}", "damaged");

        var result = await new Downloader(_http, Quick with { Cache = _folder.Combine("cache") }).DownloadOneAsync(entry, FilesFolder, null, CancellationToken.None);

        Assert.Equal(DownloadOutcome.Downloaded, result.Outcome);
        Assert.Equal(content, File.ReadAllBytes(stored));
    }

    [SkippableFact]
    public async Task Server_errors_are_retried_with_backoff()
    {
        using var nginx = await NginxServer.StartAsync();
        var entry = Entry(nginx, "bin/skopeo", 30_000, out var content);
        using var http = new HttpClient(new CountingHandler { FailFirst = 2 });

        var result = await new Downloader(http, Quick).DownloadOneAsync(entry, FilesFolder, null, CancellationToken.None);

        Assert.Equal(3, result.Attempts);
        Assert.Equal(content, File.ReadAllBytes(result.Path));
    }

    [SkippableFact]
    public async Task Every_failed_file_is_reported_together_after_the_others_are_fetched()
    {
        using var nginx = await NginxServer.StartAsync();
        var good = Entry(nginx, "bin/good", 1000, out _);
        var missing = FileEntry.Create($"{nginx.BaseUri}bin/missing-1");
        var alsoMissing = FileEntry.Create($"{nginx.BaseUri}bin/missing-2");

        var error = await Assert.ThrowsAsync<DownloadException>(() => new Downloader(_http, Quick).DownloadAsync([missing, good, alsoMissing], FilesFolder, null, CancellationToken.None));

        Assert.Equal([missing.Url, alsoMissing.Url], error.Failures.Select(f => f.Url));
        Assert.All(error.Failures, f => Assert.Equal(HttpStatusCode.NotFound, f.Status));
        Assert.StartsWith("2 downloads failed:", error.Message);
        Assert.Contains("(HTTP 404 NotFound)", error.Message);
        Assert.True(File.Exists(FileLayout.PathUnder(FilesFolder, good.RelativePath)));
        Assert.Equal(1, Requests(nginx, "/bin/missing-1"));
    }

    private static byte[] Serve(NginxServer nginx, string relative, int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var path = nginx.PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return bytes;
    }

    private static FileEntry Entry(NginxServer nginx, string relative, int size) => Entry(nginx, relative, size, out _);

    private static FileEntry Entry(NginxServer nginx, string relative, int size, out byte[] content)
    {
        content = Serve(nginx, relative, size);
        return FileEntry.Create($"{nginx.BaseUri}{relative}", Sha(content));
    }

    private void WritePart(FileEntry entry, byte[] bytes)
    {
        var part = FileLayout.PathUnder(FilesFolder, entry.RelativePath) + ".part";
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        File.WriteAllBytes(part, bytes);
    }

    private static int Requests(NginxServer nginx, string path) =>
        nginx.AccessLog.Split('\n').Count(line => line.Contains($"\"GET {path} HTTP/1.1\""));

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Reports on the caller's thread, so reports arrive in order and before the call returns.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>Counts requests and how many were in flight at once; can answer the first ones with 503.</summary>
    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _inFlight;
        private int _requests;
        private int _mostAtOnce;

        public int FailFirst { get; init; }

        public int Requests => _requests;

        public int MostAtOnce => _mostAtOnce;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var number = Interlocked.Increment(ref _requests);
            if (number <= FailFirst)
            {
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request };
            }

            var now = Interlocked.Increment(ref _inFlight);
            try
            {
                int seen;
                while (now > (seen = _mostAtOnce) && Interlocked.CompareExchange(ref _mostAtOnce, now, seen) != seen)
                {
                }

                // Holds each request long enough that every free worker is seen starting its own.
                await Task.Delay(150, cancellationToken);
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }
}
