using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Lading.Images.Registry;

public sealed partial class RegistryClient
{
    private const int MaxRedirects = 5;
    private const int MaxTokenBytes = 1024 * 1024;
    private const int MaxErrorBytes = 64 * 1024;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, BearerToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _rateLimits = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _schemes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _tokenLocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _plainHttp = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _certificateRefused = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What a request is about, for error messages: <c>library/nginx:1.25.3</c>, <c>blob library/nginx@sha256:…</c>.</summary>
    private readonly record struct Target(RegistryRepository Repository, string Subject, string? Noun = null)
    {
        public string Describe => Noun is null ? Subject : $"{Noun} {Subject}";

        public string Registry => Repository.Registry;
    }

    private sealed record BearerToken(string Value, DateTimeOffset ExpiresAt);

    /// <summary>A 5xx or 429: worth another attempt after the delay the registry asked for, if any.</summary>
    private sealed class TransientStatusException(HttpStatusCode status, TimeSpan? retryAfter) : Exception($"{(int)status} {status}")
    {
        public HttpStatusCode Status { get; } = status;

        public TimeSpan? RetryAfter { get; } = retryAfter;
    }

    private static string[] PullScopes(RegistryRepository repository) => [$"repository:{repository.Path}:pull"];

    private static string[] PushScopes(RegistryRepository repository) => [$"repository:{repository.Path}:pull,push"];

    /// <summary>Loopback registries are spoken to in plain http, as docker does.</summary>
    internal static bool IsLoopback(string host) => HostName(host) is "localhost" or "127.0.0.1" or "[::1]";

    /// <summary>Listed as insecure by the caller (host or host:port): https without certificate checks, or plain http.</summary>
    internal bool IsInsecure(string host) =>
        _options.InsecureRegistries.Any(i => string.Equals(i, host, StringComparison.OrdinalIgnoreCase) || string.Equals(i, HostName(host), StringComparison.OrdinalIgnoreCase));

    internal bool MayUsePlainHttp(string host) => IsLoopback(host) || IsInsecure(host);

    private static string HostName(string host) => host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0];

    private bool IsInsecureName(string? name) =>
        name is not null && _options.InsecureRegistries.Any(i => string.Equals(HostName(i), name, StringComparison.OrdinalIgnoreCase));

    private Uri ApiUri(RegistryRepository repository, string rest)
    {
        var host = repository.ApiHost;
        var scheme = IsLoopback(host) ? "http" : _schemes.GetValueOrDefault(host, "https");
        return new Uri($"{scheme}://{host}/v2/{repository.Path}/{rest}");
    }

    /// <summary>
    /// Docker's rule for an insecure registry: https without certificate checks when it speaks TLS, plain http otherwise.
    /// Found once per host with a GET of /v2/, whose answer (200 or 401) does not matter.
    /// </summary>
    private async Task EnsureSchemeAsync(Target target, CancellationToken cancellationToken)
    {
        var host = target.Repository.ApiHost;
        if (IsLoopback(host) || _schemes.ContainsKey(host) || !(IsInsecure(host) || IsInsecure(target.Registry)))
        {
            return;
        }

        try
        {
            using var https = await SendTimedAsync(new HttpRequestMessage(HttpMethod.Get, $"https://{host}/v2/"), cancellationToken);
            _schemes[host] = "https";
        }
        catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
        {
            using var http = await SendTimedAsync(new HttpRequestMessage(HttpMethod.Get, $"http://{host}/v2/"), cancellationToken);
            _schemes[host] = "http";
            _options.Log($"{target.Registry} does not answer https; using plain http, as it is listed as insecure");
        }
    }

    /// <summary>
    /// Sends and waits for the answer's headers at most ResponseTimeout; a blob upload is not timed, as its body
    /// may take longer than any fixed limit on a slow line.
    /// </summary>
    private async Task<HttpResponseMessage> SendTimedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is StreamContent)
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ResponseTimeout);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
    }

    private SemaphoreSlim Gate(RegistryRepository repository) =>
        _gates.GetOrAdd(repository.ApiHost, _ => new SemaphoreSlim(Math.Max(1, _options.MaxConcurrencyPerRegistry)));

    /// <summary>Runs one attempt at a time under the host's concurrency limit, retrying transient failures with backoff.</summary>
    private async Task<T> WithRetriesAsync<T>(Target target, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var gate = Gate(target.Repository);
        var attempts = Math.Max(1, _options.MaxAttempts);
        for (var n = 1; ; n++)
        {
            string reason;
            TimeSpan? retryAfter = null;
            if (_plainHttp.ContainsKey(target.Repository.ApiHost))
            {
                throw PlainHttp(target, null);
            }

            await gate.WaitAsync(cancellationToken);
            try
            {
                await EnsureSchemeAsync(target, cancellationToken);
                return await attempt(cancellationToken);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError && !cancellationToken.IsCancellationRequested)
            {
                // A registry that answers plain http to a TLS handshake says so once; asking again would fail the same way.
                if (!_certificateRefused.ContainsKey(HostName(target.Repository.ApiHost)) && await SpeaksPlainHttpAsync(target.Repository.ApiHost, cancellationToken))
                {
                    throw PlainHttp(target, e);
                }

                // A certificate this machine does not trust stays untrusted however often it is asked.
                throw new RegistryException(
                    $"The TLS connection to {target.Registry} failed for {target.Describe} ({Describe(e)}): add the registry's CA to this machine's trusted certificates, or list {target.Registry} as an insecure registry.",
                    target.Registry, target.Subject, errorCode: RegistryException.TlsFailed, inner: e);
            }
            catch (TransientStatusException e)
            {
                if (n >= attempts)
                {
                    var why = e.Status == HttpStatusCode.TooManyRequests
                        ? "the registry limits how often it may be asked (Docker Hub allows more pulls to logged-in users)"
                        : "the registry is overloaded or failing";
                    throw new RegistryException(
                        $"{target.Registry} kept answering {(int)e.Status} for {target.Describe} after {n} attempts; {why}.",
                        target.Registry, target.Subject, e.Status);
                }

                reason = $"{target.Registry} answered {(int)e.Status}";
                retryAfter = e.RetryAfter;
            }
            catch (Exception e) when (IsDroppedConnection(e, cancellationToken))
            {
                if (n >= attempts)
                {
                    throw new RegistryException(
                        $"The connection to {target.Registry} failed {n} times in a row for {target.Describe}; last: {Describe(e)}.",
                        target.Registry, target.Subject, inner: e);
                }

                reason = Describe(e);
            }
            finally
            {
                gate.Release();
            }

            var delay = _retry.Delay(n + 1, retryAfter);
            _options.Log($"{target.Describe} in {target.Registry}: {reason}; attempt {n + 1} of {attempts} in {delay.TotalSeconds:0.0}s");
            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <summary>Whether the host answers plain http (any answer to a GET of /v2/ will do); remembered, so it is asked once.</summary>
    private async Task<bool> SpeaksPlainHttpAsync(string host, CancellationToken cancellationToken)
    {
        if (_plainHttp.ContainsKey(host))
        {
            return true;
        }

        try
        {
            using var answer = await SendTimedAsync(new HttpRequestMessage(HttpMethod.Get, $"http://{host}/v2/"), cancellationToken);
            _plainHttp[host] = true;
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static RegistryException PlainHttp(Target target, Exception? inner) => new(
        $"{target.Registry} speaks plain http, not https: list it as an insecure registry (--insecure-registries={target.Registry}, or registry.insecure in the recipe) to use it over http.",
        target.Registry, target.Subject, errorCode: RegistryException.PlainHttpCode, inner: inner);

    // A store refusing the bytes, or lacking a blob to push, is no network fault: another attempt would end the same way.
    private static bool IsDroppedConnection(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && e is HttpRequestException or IOException or OperationCanceledException
        && e is not (BlobMismatchException or FileNotFoundException or DirectoryNotFoundException);

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "no answer in time",
        HttpRequestException { InnerException: { } inner } h => $"{h.Message} ({inner.Message})",
        _ => e.Message,
    };

    /// <summary>
    /// Sends one request with the registry's authorization, learning the challenge on a 401 and trying once more.
    /// GET and HEAD follow redirects here, so the Authorization header goes only to the registry's own host.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        Target target,
        string[] scopes,
        HttpMethod method,
        Uri uri,
        CancellationToken cancellationToken,
        Action<HttpRequestMessage>? prepare = null,
        Func<HttpContent>? content = null)
    {
        var registryAuthority = ApiUri(target.Repository, string.Empty).GetLeftPart(UriPartial.Authority);
        var follow = method == HttpMethod.Get || method == HttpMethod.Head;
        for (var redirects = 0; ; redirects++)
        {
            var sameHost = string.Equals(uri.GetLeftPart(UriPartial.Authority), registryAuthority, StringComparison.OrdinalIgnoreCase);
            var response = sameHost
                ? await SendAuthorizedAsync(target, scopes, () => Build(method, uri, prepare, content), cancellationToken)
                : await SendTimedAsync(Build(method, uri, prepare, content), cancellationToken);
            if (!follow || (int)response.StatusCode is < 300 or > 399 || response.Headers.Location is not { } location)
            {
                return response;
            }

            response.Dispose();
            if (redirects >= MaxRedirects)
            {
                throw new RegistryException(
                    $"{target.Registry} redirected {target.Describe} more than {MaxRedirects} times.", target.Registry, target.Subject, response.StatusCode);
            }

            uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
        }
    }

    private static HttpRequestMessage Build(HttpMethod method, Uri uri, Action<HttpRequestMessage>? prepare, Func<HttpContent>? content)
    {
        var request = new HttpRequestMessage(method, uri);
        prepare?.Invoke(request);
        if (content is not null)
        {
            request.Content = content();
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAuthorizedAsync(Target target, string[] scopes, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var sent = await AuthorizationAsync(target, scopes, [], rejected: null, cancellationToken);
        var response = await SendWithAsync(build, sent, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            NoteRateLimit(target.Repository, response);
            return response;
        }

        var challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.ToString());
        DisposeWithRequest(response);
        var credential = CredentialFor(target.Repository);
        if (challenge is null || !(challenge.IsBasic || challenge.IsBearer))
        {
            throw Unauthorized(target, credential, "it sent no usable authentication challenge");
        }

        // A refused Basic login will be refused again; a Bearer token may just have expired.
        if (sent is not null && challenge.IsBasic)
        {
            throw Unauthorized(target, credential, null);
        }

        _challenges[target.Repository.ApiHost] = challenge;
        var retry = await AuthorizationAsync(target, scopes, challenge.Scopes.Except(scopes).ToArray(), rejected: sent?.Parameter, cancellationToken);
        if (retry is null)
        {
            throw Unauthorized(target, credential, null);
        }

        response = await SendWithAsync(build, retry, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            DisposeWithRequest(response);
            if (challenge.IsBearer)
            {
                // Token registries answer 401 alike for a missing repository and for one the token may not read.
                throw new RegistryException(
                    $"{target.Registry} refused {target.Describe} even with a fresh token: the repository does not exist, or the "
                    + (credential is null ? $"anonymous access is not enough and no credentials were found for {target.Registry}" : "credentials lack the rights")
                    + " (401 UNAUTHORIZED).",
                    target.Registry, target.Subject, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            }

            throw Unauthorized(target, credential, null);
        }

        NoteRateLimit(target.Repository, response);
        return response;
    }

    private async Task<HttpResponseMessage> SendWithAsync(Func<HttpRequestMessage> build, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var request = build();
        request.Headers.Authorization = authorization;
        return await SendTimedAsync(request, cancellationToken);
    }

    private static RegistryException Unauthorized(Target target, RegistryCredential? credential, string? why) => new(
        credential is null
            ? $"{target.Registry} requires credentials for {target.Describe} and none were found for {target.Registry} (401{(why is null ? string.Empty : "; " + why)})."
            : $"{target.Registry} refused the credentials it was given for {target.Describe} (401 UNAUTHORIZED{(why is null ? string.Empty : "; " + why)}).",
        target.Registry,
        target.Subject,
        HttpStatusCode.Unauthorized,
        "UNAUTHORIZED");

    private RegistryCredential? CredentialFor(RegistryRepository repository) =>
        _options.Credentials.Find(repository.Registry) ?? _options.Credentials.Find(repository.ApiHost);

    /// <summary>The header to send, once the host's challenge is known; null while the host has not asked for any.</summary>
    /// <remarks>A token is kept under the scopes the client needs; scopes the registry added are asked for too.</remarks>
    private async Task<AuthenticationHeaderValue?> AuthorizationAsync(Target target, string[] scopes, string[] alsoAsked, string? rejected, CancellationToken cancellationToken)
    {
        if (!_challenges.TryGetValue(target.Repository.ApiHost, out var challenge))
        {
            return null;
        }

        var credential = CredentialFor(target.Repository);
        if (challenge.IsBasic)
        {
            return credential is null ? null : new AuthenticationHeaderValue("Basic", credential.BasicHeaderValue);
        }

        var key = $"{target.Repository.ApiHost} {string.Join(' ', scopes.Order(StringComparer.Ordinal))}";
        // A token the registry just refused is not used again, whatever its expiry says.
        bool Usable(BearerToken token) => token.ExpiresAt > _options.Clock.GetUtcNow() && token.Value != rejected;
        if (_tokens.TryGetValue(key, out var cached) && Usable(cached))
        {
            return new AuthenticationHeaderValue("Bearer", cached.Value);
        }

        // One fetch per scope at a time: parallel layer downloads share the token the first one gets.
        var tokenLock = _tokenLocks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await tokenLock.WaitAsync(cancellationToken);
        try
        {
            // Another request may have fetched it while this one waited.
            if (_tokens.TryGetValue(key, out cached) && Usable(cached))
            {
                return new AuthenticationHeaderValue("Bearer", cached.Value);
            }

            var token = await FetchTokenAsync(target, challenge, [.. scopes, .. alsoAsked], credential, cancellationToken);
            _tokens[key] = token;
            return new AuthenticationHeaderValue("Bearer", token.Value);
        }
        finally
        {
            tokenLock.Release();
        }
    }

    private async Task<BearerToken> FetchTokenAsync(Target target, AuthChallenge challenge, string[] scopes, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("http" or "https"))
        {
            throw new RegistryException(
                $"{target.Registry} asked for a token from '{challenge.Realm}', which is not an http(s) address.", target.Registry, target.Subject, HttpStatusCode.Unauthorized);
        }

        var query = new List<string>();
        if (challenge.Service is { } service)
        {
            query.Add($"service={Uri.EscapeDataString(service)}");
        }

        query.AddRange(scopes.Select(s => $"scope={Uri.EscapeDataString(s)}"));
        var builder = new UriBuilder(realm);
        builder.Query = string.Join('&', new[] { builder.Query.TrimStart('?') }.Where(q => q.Length > 0).Concat(query));
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credential.BasicHeaderValue);
        }

        using var response = await SendTimedAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw credential is null
                ? new RegistryException($"The token service of {target.Registry} ({realm.Host}) requires credentials for {target.Describe} and none were found for {target.Registry} ({(int)response.StatusCode}).", target.Registry, target.Subject, response.StatusCode)
                : new RegistryException($"The token service of {target.Registry} ({realm.Host}) refused the credentials it was given for {target.Describe} ({(int)response.StatusCode}).", target.Registry, target.Subject, response.StatusCode);
        }

        if (HttpRetry.IsTransient(response.StatusCode))
        {
            throw new TransientStatusException(response.StatusCode, HttpRetry.RetryAfter(response.Headers, DateTimeOffset.UtcNow));
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryException(
                $"The token service of {target.Registry} ({realm.Host}) answered {(int)response.StatusCode} for {target.Describe}.", target.Registry, target.Subject, response.StatusCode);
        }

        byte[] answer;
        try
        {
            using var watch = Watch(response, cancellationToken);
            answer = await watch.ReadBodyAsync(response.Content, MaxTokenBytes);
        }
        catch (HttpBodyTooLargeException)
        {
            throw new RegistryException(
                $"The token service of {target.Registry} ({realm.Host}) sent more than {MaxTokenBytes} bytes for {target.Describe}; that is no token.", target.Registry, target.Subject, response.StatusCode);
        }

        try
        {
            using var json = JsonDocument.Parse(answer);
            var root = json.RootElement;
            var value = (root.TryGetProperty("token", out var t) ? t.GetString() : null)
                ?? (root.TryGetProperty("access_token", out var a) ? a.GetString() : null);
            if (string.IsNullOrEmpty(value))
            {
                throw new JsonException("no token field");
            }

            // The spec's default lifetime is 60 s; renew a little early so a token never expires in flight.
            var lifetime = TimeSpan.FromSeconds(root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 60);
            var now = _options.Clock.GetUtcNow();
            var issued = root.TryGetProperty("issued_at", out var i) && i.TryGetDateTimeOffset(out var at) && at <= now ? at : now;
            var margin = lifetime >= TimeSpan.FromSeconds(40) ? TimeSpan.FromSeconds(10) : TimeSpan.Zero;
            return new BearerToken(value, issued + lifetime - margin);
        }
        catch (JsonException)
        {
            throw new RegistryException(
                $"The token service of {target.Registry} ({realm.Host}) sent an answer without a token for {target.Describe}.", target.Registry, target.Subject, response.StatusCode);
        }
    }

    private void NoteRateLimit(RegistryRepository repository, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("ratelimit-remaining", out var remaining))
        {
            return;
        }

        var limit = response.Headers.TryGetValues("ratelimit-limit", out var l) ? l.FirstOrDefault() : null;
        var text = $"{remaining.FirstOrDefault()} of {limit ?? "?"}";
        // Docker Hub sends the same numbers on every response; report only changes.
        if (_rateLimits.TryGetValue(repository.Registry, out var previous) && previous == text)
        {
            return;
        }

        _rateLimits[repository.Registry] = text;
        _options.Log($"{repository.Registry} rate limit: {Simplify(remaining.FirstOrDefault())} pulls left of {Simplify(limit)}");

        // "100;w=21600" means 100 per 21600 s.
        static string Simplify(string? value) => value?.Split(';')[0] ?? "?";
    }

    /// <summary>Turns a non-success answer into a retry (5xx, 429) or a RegistryException with the registry's own error code.</summary>
    private async Task EnsureSuccessAsync(HttpResponseMessage response, Target target, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        if (HttpRetry.IsTransient(response.StatusCode))
        {
            throw new TransientStatusException(response.StatusCode, HttpRetry.RetryAfter(response.Headers, DateTimeOffset.UtcNow));
        }

        var (code, message) = await ReadErrorAsync(response, cancellationToken);
        var status = code is null ? $"{(int)response.StatusCode}" : $"{(int)response.StatusCode} {code}";
        var sentence = response.StatusCode switch
        {
            HttpStatusCode.NotFound => $"{target.Describe} was not found in {target.Registry} ({status}).",
            HttpStatusCode.Forbidden => $"{target.Registry} denied access to {target.Describe} ({status}{(message is null ? string.Empty : ": " + message)}).",
            _ => $"{target.Registry} rejected the request for {target.Describe} ({status}{(message is null ? string.Empty : ": " + message)}).",
        };
        throw new RegistryException(sentence, target.Registry, target.Subject, response.StatusCode, code);
    }

    private async Task<(string? Code, string? Message)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // An error text is read only so far, and only while it keeps coming: it explains a failure, it must not become one.
            using var watch = Watch(response, cancellationToken);
            var body = await watch.ReadBodyAsync(response.Content, MaxErrorBytes);
            if (body.Length == 0)
            {
                return (null, null);
            }

            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0)
            {
                return (null, null);
            }

            var codes = errors.EnumerateArray().Select(e => e.TryGetProperty("code", out var c) ? c.GetString() : null).OfType<string>().Distinct();
            var first = errors[0];
            var message = first.TryGetProperty("message", out var m) ? m.GetString() : null;
            return (string.Join(", ", codes) is { Length: > 0 } joined ? joined : null, message is { Length: > 200 } ? message[..200] : message);
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException or InvalidOperationException or HttpBodyTooLargeException
            || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, null);
        }
    }

    private static void DisposeWithRequest(HttpResponseMessage response)
    {
        // .NET leaves a request's content (an open blob file, for pushes) to the caller.
        response.RequestMessage?.Dispose();
        response.Dispose();
    }
}
