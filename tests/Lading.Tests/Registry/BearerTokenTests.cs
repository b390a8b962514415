using System.Net;
using System.Text;
using Lading.Images.Registry;
using Lading.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace Lading.Tests.Registry;

public sealed class BearerTokenTests : IAsyncLifetime
{
    private const string User = "puller";
    private const string Password = "t0ken-Pa55";

    private readonly TempFolder _folder = new("lading-bearer");
    private readonly LogLines _log = new();
    private FakeTokenRegistry _fake = null!;

    private static string Basic => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));

    public async Task InitializeAsync() => _fake = await FakeTokenRegistry.StartAsync(_folder.Combine("content"));

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Challenge_leads_to_one_token_for_the_scope_sent_only_to_the_registry()
    {
        _fake.RequiredBasic = Basic;
        using var client = Client(withCredentials: true);

        var pulled = await client.PullAsync(_fake.Repo, "1.0", Store(), PlatformSelection.All, CancellationToken.None);

        Assert.Equal(_fake.Image.Digest, pulled.Top.Digest);
        var token = Assert.Single(_fake.Tokens.Requests);
        Assert.Equal($"/token?service={FakeTokenRegistry.Service}&scope=repository%3Ateam%2Fapp%3Apull", token.PathAndQuery);
        Assert.Equal($"Basic {Basic}", token.Authorization);

        var registry = _fake.Registry.Requests;
        Assert.Equal(("HEAD", null), (registry[0].Method, registry[0].Authorization));
        Assert.All(registry.Skip(1), r => Assert.Equal("Bearer tok-1", r.Authorization));
        Assert.Equal(["HEAD", "HEAD", "GET", "GET", "GET"], registry.Select(r => r.Method));

        Assert.Equal(2, _fake.Storage.Requests.Count);
        Assert.All(_fake.Storage.Requests, r => Assert.Null(r.Authorization));
        Assert.All(_fake.Storage.Requests, r => Assert.EndsWith("?signature=abc", r.PathAndQuery));
        Assert.Empty(_fake.Registry.Failures.Concat(_fake.Tokens.Failures).Concat(_fake.Storage.Failures));
    }

    [Fact]
    public async Task Anonymous_token_is_asked_for_without_credentials()
    {
        using var client = Client(withCredentials: false);

        await client.ResolveAsync(_fake.Repo, "1.0", CancellationToken.None);

        Assert.Null(Assert.Single(_fake.Tokens.Requests).Authorization);
    }

    [Fact]
    public async Task Token_is_reused_until_it_expires_then_renewed_before_use()
    {
        _fake.TokenLifetimeSeconds = 2;
        var clock = new FakeTimeProvider();
        using var client = Client(withCredentials: true, clock);

        await client.ResolveAsync(_fake.Repo, "1.0", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1.9));
        await client.PullAsync(_fake.Repo, "1.0", Store(), PlatformSelection.All, CancellationToken.None);
        Assert.Single(_fake.Tokens.Requests);

        clock.Advance(TimeSpan.FromSeconds(0.2));
        var before = _fake.Registry.Requests.Count;
        await client.ResolveAsync(_fake.Repo, "1.0", CancellationToken.None);

        Assert.Equal(2, _fake.Tokens.Requests.Count);
        var after = Assert.Single(_fake.Registry.Requests.Skip(before));
        Assert.Equal("Bearer tok-2", after.Authorization);
    }

    [Fact]
    public async Task Revoked_token_is_renewed_once_on_401()
    {
        using var client = Client(withCredentials: true);
        await client.ResolveAsync(_fake.Repo, "1.0", CancellationToken.None);
        _fake.RevokeTokens();
        var before = _fake.Registry.Requests.Count;

        Assert.Equal(_fake.Image.Digest, await client.ResolveAsync(_fake.Repo, "1.0", CancellationToken.None));

        Assert.Equal(["Bearer tok-1", "Bearer tok-2"], _fake.Registry.Requests.Skip(before).Select(r => r.Authorization));
    }

    [Fact]
    public async Task Parallel_requests_refused_at_once_share_one_new_token()
    {
        using var client = Client(withCredentials: true);
        await client.ResolveAsync(_fake.Repo, "1.0", CancellationToken.None);
        _fake.RevokeTokens();

        var digests = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.ResolveAsync(_fake.Repo, "1.0", CancellationToken.None)));

        Assert.All(digests, d => Assert.Equal(_fake.Image.Digest, d));
        Assert.Equal(2, _fake.Tokens.Requests.Count);
    }

    [Fact]
    public async Task Token_service_refusing_the_credentials_is_a_clear_error_without_them()
    {
        _fake.RequiredBasic = Convert.ToBase64String(Encoding.UTF8.GetBytes("someone:else"));
        using var client = Client(withCredentials: true);

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.ResolveAsync(_fake.Repo, "1.0", CancellationToken.None));

        Assert.Equal($"The token service of {_fake.Registry.Host} (127.0.0.1) refused the credentials it was given for team/app:1.0 (401).", error.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.DoesNotContain(Password, error.ToString());
        Assert.DoesNotContain(Basic, error.ToString());
        Assert.Single(_fake.Tokens.Requests);
    }

    [Fact]
    public async Task Repository_the_token_cannot_read_is_reported_as_missing_or_forbidden()
    {
        using var client = Client(withCredentials: false);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.ResolveAsync(new RegistryRepository(_fake.Registry.Host, "team/secret"), "1.0", CancellationToken.None));

        Assert.Equal(
            $"{_fake.Registry.Host} refused team/secret:1.0 even with a fresh token: the repository does not exist, or the anonymous access is not enough and no credentials were found for {_fake.Registry.Host} (401 UNAUTHORIZED).",
            error.Message);
        Assert.Equal(["HEAD", "HEAD"], _fake.Registry.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Rate_limit_headers_are_reported_once_while_unchanged()
    {
        using var client = Client(withCredentials: false);

        await client.PullAsync(_fake.Repo, "1.0", Store(), PlatformSelection.All, CancellationToken.None);
        await client.ResolveAsync(_fake.Repo, "1.0", CancellationToken.None);

        var reported = _log.Lines.Where(l => l.Contains("rate limit")).ToArray();
        Assert.True(reported.SequenceEqual([$"{_fake.Registry.Host} rate limit: 98 pulls left of 100"]), _log.ToString());
    }

    private RegistryClient Client(bool withCredentials, TimeProvider? clock = null) => new(new RegistryClientOptions
    {
        Credentials = withCredentials ? new ExplicitCredentials().Add(_fake.Registry.Host, User, Password) : AnonymousCredentials.Instance,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        Log = _log.Add,
        Clock = clock ?? TimeProvider.System,
    });

    private FolderBlobStore Store() => new(_folder.Combine(Guid.NewGuid().ToString("N")));
}
