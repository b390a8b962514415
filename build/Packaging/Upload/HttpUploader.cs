using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Lading.Packaging.Upload;

/// <summary>
/// Uploads with HTTP PUT, as WebDAV servers, Nexus raw and Artifactory accept it: the file goes up as
/// <c>&lt;name&gt;.part</c>, is renamed with WebDAV MOVE, checked with HEAD, and gets a <c>&lt;name&gt;.sha256</c> beside it.
/// </summary>
/// <remarks>
/// Servers without MOVE (405/501) get a direct PUT of the final name only after the .part upload proved that PUT and the
/// credentials work; those servers commit a PUT only once its whole body arrived, and a failed or wrong-sized final PUT
/// is deleted, so a partial file never stays under the final name.
/// Every request fails when nothing moves for the idle time (UploadOptions.IdleTimeout), however long the whole PUT takes;
/// the HttpClient's own Timeout, when not infinite, bounds each whole request too.
/// </remarks>
public sealed class HttpUploader(HttpClient http, UploadOptions? options = null) : IUploader
{
    private const int BufferSize = 1 << 20;
    private readonly UploadOptions _options = options ?? new UploadOptions();

    public async Task<UploadResult> UploadAsync(string localFile, Uri destination, UploadCredentials? credentials, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        if (!destination.IsAbsoluteUri || destination.Scheme is not ("http" or "https"))
        {
            throw new UploadException(destination, "not an http(s) folder address.");
        }

        if (!File.Exists(localFile))
        {
            throw new UploadException(destination, $"the file to upload, {localFile}, does not exist.");
        }

        credentials ??= FromUserInfo(destination);
        var name = Path.GetFileName(localFile);
        var (_, part, final, checksum) = UploadPlan.For(localFile, destination);
        var (size, sha256) = await HashAsync(localFile, cancellationToken);

        var attempts = await PutFileAsync(part, localFile, size, credentials, progress, cancellationToken);
        try
        {
            if (!await MoveAsync(part, final, credentials, cancellationToken))
            {
                if (!_options.DirectPutWhenMoveUnsupported)
                {
                    throw new UploadException(final, "the server does not support MOVE, and a direct PUT of the final name is turned off.", HttpStatusCode.MethodNotAllowed);
                }

                await PutFinalDirectlyAsync(final, localFile, size, credentials, progress, cancellationToken);
                await DeleteQuietlyAsync(part, credentials);
            }
        }
        catch
        {
            await DeleteQuietlyAsync(part, credentials);
            throw;
        }

        var verified = await VerifyAsync(final, size, credentials, cancellationToken);
        await PutBytesAsync(checksum, Encoding.UTF8.GetBytes(Sha256File.Content(sha256, name)), credentials, cancellationToken);
        return new UploadResult(final, checksum, size, sha256, verified, attempts);
    }

    private async Task PutFinalDirectlyAsync(Uri final, string localFile, long size, UploadCredentials? credentials, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        try
        {
            await PutFileAsync(final, localFile, size, credentials, progress, cancellationToken);
            if (await RemoteSizeAsync(final, credentials, cancellationToken) is { } remote && remote != size)
            {
                throw new UploadException(final, $"the server holds {remote} bytes after the upload, the file has {size}.");
            }
        }
        catch
        {
            await DeleteQuietlyAsync(final, credentials);
            throw;
        }
    }

    private async Task<int> PutFileAsync(Uri target, string localFile, long size, UploadCredentials? credentials, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var (response, attempts) = await SendAsync(target, credentials, watch =>
        {
            // Each chunk the server takes counts as movement: a server that stops reading fails after the idle time.
            var body = watch.Watch(new ProgressStream(new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true), progress));
            var content = new StreamContent(body, BufferSize);
            content.Headers.ContentLength = size;
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var request = new HttpRequestMessage(HttpMethod.Put, target) { Content = content };
            // Lets a server refuse (401, 413) before the whole body is sent.
            request.Headers.ExpectContinue = true;
            return request;
        }, cancellationToken);
        using (response)
        {
            EnsureSuccess(response, target, "PUT");
        }

        return attempts;
    }

    private async Task PutBytesAsync(Uri target, byte[] bytes, UploadCredentials? credentials, CancellationToken cancellationToken)
    {
        var (response, _) = await SendAsync(target, credentials, _ =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            return new HttpRequestMessage(HttpMethod.Put, target) { Content = content };
        }, cancellationToken);
        using (response)
        {
            EnsureSuccess(response, target, "PUT");
        }
    }

    /// <returns>False when the server does not know MOVE.</returns>
    private async Task<bool> MoveAsync(Uri part, Uri final, UploadCredentials? credentials, CancellationToken cancellationToken)
    {
        var (response, attempts) = await SendAsync(part, credentials, _ =>
        {
            var request = new HttpRequestMessage(new HttpMethod("MOVE"), part);
            request.Headers.TryAddWithoutValidation("Destination", final.AbsoluteUri);
            request.Headers.TryAddWithoutValidation("Overwrite", "T");
            return request;
        }, cancellationToken);
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
            {
                return false;
            }

            // A retried MOVE whose first answer was lost finds the .part already gone.
            if (response.StatusCode == HttpStatusCode.NotFound && attempts > 1 && await RemoteSizeAsync(final, credentials, cancellationToken) is not null)
            {
                return true;
            }

            EnsureSuccess(response, part, $"MOVE to {final}");
            return true;
        }
    }

    private async Task<bool> VerifyAsync(Uri final, long size, UploadCredentials? credentials, CancellationToken cancellationToken)
    {
        var (response, _) = await SendAsync(final, credentials, _ => new HttpRequestMessage(HttpMethod.Head, final), cancellationToken);
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new UploadException(final, "the file is not there after the upload.", response.StatusCode);
            }

            // Write-only deploy users may not read back; then the PUT's own success is all there is.
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength is not { } remote)
            {
                return false;
            }

            if (remote != size)
            {
                await DeleteQuietlyAsync(final, credentials);
                throw new UploadException(final, $"the server holds {remote} bytes after the upload, the file has {size}; the remote file was removed.");
            }

            return true;
        }
    }

    private async Task<long?> RemoteSizeAsync(Uri target, UploadCredentials? credentials, CancellationToken cancellationToken)
    {
        var (response, _) = await SendAsync(target, credentials, _ => new HttpRequestMessage(HttpMethod.Head, target), cancellationToken);
        using (response)
        {
            return response.IsSuccessStatusCode ? response.Content.Headers.ContentLength : null;
        }
    }

    private async Task DeleteQuietlyAsync(Uri target, UploadCredentials? credentials)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, target);
            Authorize(request, credentials);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await http.SendAsync(request, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            // Cleanup is best effort: the failure being reported matters more.
        }
    }

    /// <summary>Sends, retrying connection failures and transient statuses with backoff; the last response is returned for the caller to judge.</summary>
    private async Task<(HttpResponseMessage Response, int Attempts)> SendAsync(Uri target, UploadCredentials? credentials, Func<IdleWatch, HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var max = Math.Max(1, _options.MaxAttempts);
        var retry = _options.Retry;
        TimeSpan? retryAfter = null;
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(retry.Delay(attempt, retryAfter), cancellationToken);
                retryAfter = null;
            }

            using var watch = new IdleWatch(target, _options.IdleTimeout, cancellationToken);
            using var request = build(watch);
            Authorize(request, credentials);
            try
            {
                var response = await watch.SendAsync(http, request);
                if (HttpRetry.IsTransient(response.StatusCode) && attempt < max)
                {
                    retryAfter = HttpRetry.RetryAfter(response.Headers, DateTimeOffset.UtcNow);
                    response.Dispose();
                    continue;
                }

                return (response, attempt);
            }
            catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
            {
                if (attempt >= max)
                {
                    throw new UploadException(target, $"{request.Method} failed after {attempt} attempt{(attempt == 1 ? string.Empty : "s")}: {e.Message}", inner: e);
                }
            }
        }
    }

    private static void EnsureSuccess(HttpResponseMessage response, Uri target, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var reason = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => $"{what} was refused: the user or password is wrong, or missing.",
            HttpStatusCode.Forbidden => $"{what} was refused: the user may not write here.",
            HttpStatusCode.RequestEntityTooLarge => $"{what} was refused: the file is larger than the server accepts.",
            _ => $"{what} was answered with {response.ReasonPhrase}.",
        };
        throw new UploadException(target, reason, response.StatusCode);
    }


    private static bool IsConnectionFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException || e is TaskCanceledException && !cancellationToken.IsCancellationRequested;

    private static void Authorize(HttpRequestMessage request, UploadCredentials? credentials)
    {
        if (credentials is not null)
        {
            // Sent up front: a 401 round trip would make the server discard a streamed body.
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.BasicParameter);
        }
    }

    private static UploadCredentials? FromUserInfo(Uri destination)
    {
        if (string.IsNullOrEmpty(destination.UserInfo))
        {
            return null;
        }

        var parts = destination.UserInfo.Split(':', 2);
        return new UploadCredentials(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
    }

    private static async Task<(long Size, string Sha256)> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return (stream.Length, Convert.ToHexStringLower(hash));
    }
}
