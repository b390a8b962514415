using System.Net;
using Lading.Images.Registry;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

/// <summary>A docker-registry behind htpasswd basic auth, with one image pushed through the client.</summary>
public sealed class BasicAuthRegistry : IAsyncLifetime
{
    public const string User = "release-bot";
    public const string Password = "s3cret-Pa55-word";

    private readonly TempFolder _folder = new("lading-basic");

    private DockerRegistry? _server;
    private string? _missing;

    public DockerRegistry Server => _server ?? throw new SkipException(_missing ?? "the registry did not start");

    public FolderImage Image { get; private set; } = null!;

    public RegistryRepository Repository => new(Server.Host, "library/private");

    public async Task InitializeAsync()
    {
        try
        {
            _server = await DockerRegistry.StartAsync((User, Password));
        }
        catch (SkipException missing)
        {
            _missing = missing.Message;
            return;
        }

        var images = new FolderImages(new FolderBlobStore(_folder.Combine("source")));
        Image = await images.DockerImageAsync("amd64", await images.LayerAsync(10_000), await images.LayerAsync(5_000));
        using var client = new RegistryClient(Options(User, Password));
        await client.PushImageAsync(Repository, "1.0", Image.Digest, images.Store, CancellationToken.None);
    }

    public RegistryClientOptions Options(string? user, string? password) => new()
    {
        Credentials = user is null ? AnonymousCredentials.Instance : new ExplicitCredentials().Add(Server.Host, user, password!),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
    };

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _folder.Dispose();
    }
}

public sealed class BasicAuthTests(BasicAuthRegistry registry) : IClassFixture<BasicAuthRegistry>, IDisposable
{
    private readonly TempFolder _folder = new("lading-basic-pull");

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public async Task Pull_with_the_right_credentials_gets_what_skopeo_sees()
    {
        var store = new FolderBlobStore(_folder.Combine("store"));
        using var client = new RegistryClient(registry.Options(BasicAuthRegistry.User, BasicAuthRegistry.Password));

        var pulled = await client.PullAsync(registry.Repository, "1.0", store, PlatformSelection.All, CancellationToken.None);

        Assert.Equal(registry.Image.Digest, pulled.Top.Digest);
        Assert.Equal(await Skopeo.RawDigestAsync(registry.Server.Host, "library/private:1.0", $"{BasicAuthRegistry.User}:{BasicAuthRegistry.Password}"), pulled.Top.Digest);
        Assert.All(registry.Image.Blobs, b => Assert.True(store.Contains(b)));
    }

    [SkippableFact]
    public async Task Blob_redirected_to_another_host_is_fetched_without_the_credentials()
    {
        using var upstream = new HttpClient();
        upstream.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{BasicAuthRegistry.User}:{BasicAuthRegistry.Password}")));
        await using var storage = new RecordingHttpServer(async (context, seen) =>
        {
            // The storage host holds its own access, as signed URLs do; it never needs the client's.
            var bytes = await upstream.GetByteArrayAsync($"http://{registry.Server.Host}{seen.PathAndQuery.Replace("/storage", string.Empty)}");
            await RecordingHttpServer.WriteAsync(context, 200, bytes, "application/octet-stream");
        });
        await using var proxy = new RegistryProxy(registry.Server.Host, async (context, seen) =>
        {
            if (seen.Method != "GET" || !seen.PathAndQuery.Contains("/blobs/") || seen.Authorization is null)
            {
                return false;
            }

            await RecordingHttpServer.WriteAsync(context, 307, headers: new Dictionary<string, string> { ["Location"] = $"http://{storage.Host}/storage{seen.PathAndQuery}" });
            return true;
        });
        var store = new FolderBlobStore(_folder.Combine("store"));
        var credentials = new ExplicitCredentials().Add(proxy.Host, BasicAuthRegistry.User, BasicAuthRegistry.Password);
        using var client = new RegistryClient(new RegistryClientOptions { Credentials = credentials });

        await client.PullAsync(new RegistryRepository(proxy.Host, "library/private"), "1.0", store, PlatformSelection.All, CancellationToken.None);

        Assert.All(registry.Image.Blobs, b => Assert.True(store.Contains(b)));
        Assert.Equal(registry.Image.Blobs.Count, storage.Requests.Count);
        Assert.All(storage.Requests, r => Assert.Null(r.Authorization));
        Assert.All(proxy.Requests.Skip(1), r => Assert.StartsWith("Basic ", r.Authorization));
        Assert.Empty(storage.Failures);
    }

    [SkippableFact]
    public async Task Wrong_password_is_a_clear_error_without_the_password()
    {
        var store = new FolderBlobStore(_folder.Combine("store"));
        var log = new LogLines();
        var options = registry.Options(BasicAuthRegistry.User, "not-the-Pa55-word");
        using var client = new RegistryClient(new RegistryClientOptions { Credentials = options.Credentials, Log = log.Add });

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.PullAsync(registry.Repository, "1.0", store, PlatformSelection.All, CancellationToken.None));

        Assert.Equal($"{registry.Server.Host} refused the credentials it was given for library/private:1.0 (401 UNAUTHORIZED).", error.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.DoesNotContain("Pa55", error.ToString());
        Assert.DoesNotContain(log.Lines, l => l.Contains("Pa55"));
        Assert.Empty(store.All);
    }

    [SkippableFact]
    public async Task No_credentials_says_they_are_needed()
    {
        using var client = new RegistryClient(registry.Options(null, null));

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.ResolveAsync(registry.Repository, "1.0", CancellationToken.None));

        Assert.Equal($"{registry.Server.Host} requires credentials for library/private:1.0 and none were found for {registry.Server.Host} (401).", error.Message);
    }

    [SkippableFact]
    public async Task Credentials_from_a_docker_config_file_are_used()
    {
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{BasicAuthRegistry.User}:{BasicAuthRegistry.Password}"));
        var json = System.Text.Json.JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { [$"http://{registry.Server.Host}"] = new { auth } } });
        var config = _folder.Write("docker/config.json", json);
        using var client = new RegistryClient(new RegistryClientOptions { Credentials = DockerConfigCredentials.Load(config) });

        Assert.Equal(registry.Image.Digest, await client.ResolveAsync(registry.Repository, "1.0", CancellationToken.None));
    }
}
