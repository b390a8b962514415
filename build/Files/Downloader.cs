using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Lading.Files;

/// <summary>
/// Fetches files into files/&lt;host&gt;/&lt;path&gt; with bounded parallelism, resuming partial files with HTTP Range,
/// retrying drops and 5xx with backoff, verifying sha256, and sharing verified files through the content store.
/// </summary>
/// <remarks>
/// A file already in place is kept only when the list gives its sha256 and it matches; without a sha256 nothing proves
/// it complete and current, so it is fetched again.
/// </remarks>
public sealed class Downloader(HttpClient http, DownloadOptions? options = null)
{
    private const int BufferSize = 1 << 16;
    private readonly DownloadOptions _options = options ?? new DownloadOptions();

    /// <param name="filesFolder">The folder served as Kubespray's files_repo, usually <c>&lt;package&gt;/files</c>.</param>
    /// <returns>One result per entry, in the entries' order.</returns>
    /// <exception cref="DownloadException">Every file that failed, after the others were fetched.</exception>
    public async Task<IReadOnlyList<DownloadedFile>> DownloadAsync(IEnumerable<FileEntry> files, string filesFolder, IProgress<FileProgress>? progress, CancellationToken cancellationToken)
    {
        var entries = files.ToList();
        var twice = entries.GroupBy(e => e.RelativePath, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new ArgumentException($"Two entries land on files/{twice.Key}: {string.Join(", ", twice.Select(e => e.Url))}.", nameof(files));
        }

        var results = new DownloadedFile[entries.Count];
        var failures = new ConcurrentBag<(int Index, DownloadException Error)>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, entries.Count), parallel, async (index, ct) =>
        {
            try
            {
                results[index] = await DownloadOneAsync(entries[index], filesFolder, progress, ct);
            }
            catch (DownloadException e)
            {
                failures.Add((index, e));
            }
        });

        if (!failures.IsEmpty)
        {
            throw DownloadException.Of(failures.OrderBy(f => f.Index).Select(f => f.Error).ToList());
        }

        return results;
    }

    public async Task<DownloadedFile> DownloadOneAsync(FileEntry entry, string filesFolder, IProgress<FileProgress>? progress, CancellationToken cancellationToken)
    {
        var target = FileLayout.PathUnder(filesFolder, entry.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            if (entry.Sha256 is not null && await HashAsync(target, cancellationToken) == entry.Sha256)
            {
                var size = new FileInfo(target).Length;
                progress?.Report(new FileProgress(entry.Url, entry.RelativePath, size, size));
                Remember(target, entry.Sha256);
                return new DownloadedFile(entry, target, entry.Sha256, size, DownloadOutcome.AlreadyPresent, 0);
            }

            File.Delete(target);
        }

        if (await FromCacheAsync(entry, target, cancellationToken) is { } cached)
        {
            progress?.Report(new FileProgress(entry.Url, entry.RelativePath, cached.Size, cached.Size));
            return cached;
        }

        var part = target + ".part";
        var (attempts, resumed) = await FetchAsync(entry, part, progress, cancellationToken);
        var actual = await HashAsync(part, cancellationToken);
        if (entry.Sha256 is not null && actual != entry.Sha256)
        {
            File.Delete(part);
            if (!resumed)
            {
                throw DownloadException.HashMismatch(entry.Url, entry.Sha256, actual);
            }

            // The kept .part may hold bytes of an older file at that URL: one clean fetch settles it.
            var (again, _) = await FetchAsync(entry, part, progress, cancellationToken);
            attempts += again;
            resumed = false;
            actual = await HashAsync(part, cancellationToken);
            if (actual != entry.Sha256)
            {
                File.Delete(part);
                throw DownloadException.HashMismatch(entry.Url, entry.Sha256, actual);
            }
        }

        File.Move(part, target, overwrite: true);
        Remember(target, actual);
        return new DownloadedFile(entry, target, actual, new FileInfo(target).Length, resumed ? DownloadOutcome.Resumed : DownloadOutcome.Downloaded, attempts);
    }

    /// <summary>Fills <paramref name="part"/> with the whole body, continuing what is already there when the server allows.</summary>
    private async Task<(int Attempts, bool Resumed)> FetchAsync(FileEntry entry, string part, IProgress<FileProgress>? progress, CancellationToken cancellationToken)
    {
        var max = Math.Max(1, _options.MaxAttempts);
        var resumed = false;
        var retry = _options.Retry;
        TimeSpan? retryAfter = null;
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(retry.Delay(attempt, retryAfter), cancellationToken);
                retryAfter = null;
            }

            var have = File.Exists(part) ? new FileInfo(part).Length : 0;
            using var request = new HttpRequestMessage(HttpMethod.Get, entry.Url);
            if (have > 0)
            {
                request.Headers.Range = new RangeHeaderValue(have, null);
            }

            using var watch = new IdleWatch(entry.Url, _options.IdleTimeout, cancellationToken);
            try
            {
                using var response = await watch.SendAsync(http, request);
                long offset;
                switch (response.StatusCode)
                {
                    case HttpStatusCode.PartialContent when have > 0 && response.Content.Headers.ContentRange?.From == have:
                        offset = have;
                        resumed = true;
                        break;
                    case HttpStatusCode.OK:
                        offset = 0;
                        break;
                    case HttpStatusCode.RequestedRangeNotSatisfiable when have > 0:
                        // "bytes */<total>" equal to what is on disk means the last run stopped just before the rename.
                        if (response.Content.Headers.ContentRange?.Length == have)
                        {
                            return (attempt, true);
                        }

                        File.Delete(part);
                        continue;
                    case HttpStatusCode.PartialContent:
                        // A range other than the one asked for cannot be appended: start over.
                        File.Delete(part);
                        continue;
                    case var status when HttpRetry.IsTransient(status) && attempt < max:
                        retryAfter = HttpRetry.RetryAfter(response.Headers, DateTimeOffset.UtcNow);
                        continue;
                    default:
                        throw new DownloadException(entry.Url, $"the server answered {response.ReasonPhrase} after {attempt} attempt{(attempt == 1 ? string.Empty : "s")}.", response.StatusCode);
                }

                var total = response.Content.Headers.ContentLength is { } length ? offset + length : (long?)null;
                CheckRoomFor(entry, total, part);
                await using var body = watch.Watch(await response.Content.ReadAsStreamAsync(watch.Token));
                await using var output = new FileStream(part, offset == 0 ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
                var buffer = new byte[BufferSize];
                var done = offset;
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    if (done + read > _options.MaxFileSize)
                    {
                        throw new DownloadException(entry.Url, $"it sent more than {_options.MaxFileSize} bytes, the largest file accepted (--max-blob-gib); the partial file was removed.");
                    }

                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    done += read;
                    progress?.Report(new FileProgress(entry.Url, entry.RelativePath, done, total));
                }

                if (total is { } expected && done != expected)
                {
                    throw new IOException($"the body ended after {done} of {expected} bytes");
                }

                return (attempt, resumed);
            }
            catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
            {
                if (attempt >= max)
                {
                    throw new DownloadException(entry.Url, $"the connection failed {attempt} times; the last time: {e.Message}", inner: e);
                }
            }
            catch (DownloadException)
            {
                File.Delete(part);
                throw;
            }
        }
    }

    /// <summary>Refuses a file announced larger than the limit or than the free space where it is written, before its first byte.</summary>
    private void CheckRoomFor(FileEntry entry, long? size, string part)
    {
        if (size > _options.MaxFileSize)
        {
            throw new DownloadException(entry.Url, $"it is {size} bytes, larger than the largest file accepted ({_options.MaxFileSize} bytes, --max-blob-gib).");
        }

        var free = new DriveInfo(Path.GetDirectoryName(Path.GetFullPath(part))!).AvailableFreeSpace;
        if (size - (File.Exists(part) ? new FileInfo(part).Length : 0) > free)
        {
            throw new DownloadException(entry.Url, $"it is {size} bytes, and only {free} bytes are free where it is written.");
        }
    }

    private async Task<DownloadedFile?> FromCacheAsync(FileEntry entry, string target, CancellationToken cancellationToken)
    {
        if (_options.Cache is null || entry.Sha256 is null)
        {
            return null;
        }

        var stored = StorePath(entry.Sha256);
        if (!File.Exists(stored))
        {
            return null;
        }

        // A damaged store entry must not spread into packages.
        if (await HashAsync(stored, cancellationToken) != entry.Sha256)
        {
            File.Delete(stored);
            return null;
        }

        var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
        HardLink.Place(stored, temporary);
        File.Move(temporary, target, overwrite: true);
        return new DownloadedFile(entry, target, entry.Sha256, new FileInfo(target).Length, DownloadOutcome.FromCache, 0);
    }

    /// <summary>Keeps a verified file in the content store; a name already there holds the same bytes.</summary>
    private void Remember(string file, string sha256)
    {
        if (_options.Cache is null)
        {
            return;
        }

        var stored = StorePath(sha256);
        if (File.Exists(stored))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(stored)!);
        var temporary = $"{stored}.{Guid.NewGuid():N}.tmp";
        HardLink.Place(file, temporary);
        try
        {
            // Another build may have stored the same bytes meanwhile; either copy will do.
            File.Move(temporary, stored, overwrite: false);
        }
        catch (IOException) when (File.Exists(stored))
        {
            File.Delete(temporary);
        }
    }

    private string StorePath(string sha256) => Path.Combine(_options.Cache!, "files", "sha256", sha256);


    private static bool IsConnectionFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException || e is TaskCanceledException && !cancellationToken.IsCancellationRequested;

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
