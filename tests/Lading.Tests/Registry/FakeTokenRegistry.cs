using System.Collections.Concurrent;
using System.Text;
using Lading.Images;
using Lading.Images.Registry;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

/// <summary>
/// A loopback registry that wants bearer tokens from its own token service and redirects blob GETs to a separate
/// storage host, recording what each of the three saw. It serves one docker v2 image: team/app:1.0.
/// </summary>
public sealed class FakeTokenRegistry : IAsyncDisposable
{
    public const string Service = "fake.registry";
    public const string Repository = "team/app";

    private readonly ConcurrentDictionary<string, bool> _validTokens = new();
    private readonly FolderBlobStore _content;
    private int _issued;

    private FakeTokenRegistry(FolderBlobStore content, FolderImage image)
    {
        _content = content;
        Image = image;
        Storage = new RecordingHttpServer(async (context, seen) =>
        {
            var hex = seen.PathAndQuery.Split('?')[0].Split('/').Last();
            await RecordingHttpServer.WriteAsync(context, 200, _content.Read(Digest.Parse($"sha256:{hex}")), "application/octet-stream");
        });
        Tokens = new RecordingHttpServer(async (context, seen) =>
        {
            if (RequiredBasic is { } basic && seen.Authorization != $"Basic {basic}")
            {
                await RecordingHttpServer.WriteAsync(context, 401, Encoding.UTF8.GetBytes("""{"details":"incorrect username or password"}"""), "application/json");
                return;
            }

            var token = $"tok-{Interlocked.Increment(ref _issued)}";
            _validTokens[token] = true;
            await RecordingHttpServer.WriteAsync(context, 200, Encoding.UTF8.GetBytes($$"""{"token":"{{token}}","expires_in":{{TokenLifetimeSeconds}}}"""), "application/json");
        });
        Registry = new RecordingHttpServer(async (context, seen) =>
        {
            var token = seen.Authorization is { } a && a.StartsWith("Bearer ") ? a["Bearer ".Length..] : null;
            if (token is null || !_validTokens.ContainsKey(token) || !seen.PathAndQuery.StartsWith($"/v2/{Repository}/"))
            {
                var challenge = $"Bearer realm=\"http://{Tokens.Host}/token\",service=\"{Service}\",scope=\"repository:{Repository}:pull\"";
                await RecordingHttpServer.WriteAsync(
                    context, 401, Encoding.UTF8.GetBytes("""{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"""), "application/json",
                    new Dictionary<string, string> { ["WWW-Authenticate"] = challenge });
                return;
            }

            var path = seen.PathAndQuery;
            if (path.StartsWith($"/v2/{Repository}/manifests/"))
            {
                var bytes = _content.Read(Image.Digest);
                await RecordingHttpServer.WriteAsync(context, 200, bytes, MediaTypes.DockerManifest, new Dictionary<string, string>
                {
                    ["Docker-Content-Digest"] = Image.Digest.ToString(),
                    ["ratelimit-limit"] = "100;w=21600",
                    ["ratelimit-remaining"] = "98;w=21600",
                });
                return;
            }

            if (path.StartsWith($"/v2/{Repository}/blobs/"))
            {
                var digest = Digest.Parse(path.Split('/').Last());
                await RecordingHttpServer.WriteAsync(context, 307, null, null, new Dictionary<string, string>
                {
                    ["Location"] = $"http://{Storage.Host}/data/{digest.Hex}?signature=abc",
                });
                return;
            }

            await RecordingHttpServer.WriteAsync(context, 404);
        });
    }

    public RecordingHttpServer Registry { get; }

    public RecordingHttpServer Tokens { get; }

    public RecordingHttpServer Storage { get; }

    public FolderImage Image { get; }

    public RegistryRepository Repo => new(Registry.Host, Repository);

    /// <summary>The base64 user:password the token service insists on; null accepts anyone.</summary>
    public string? RequiredBasic { get; set; }

    public int TokenLifetimeSeconds { get; set; } = 300;

    public static async Task<FakeTokenRegistry> StartAsync(string folder)
    {
        var content = new FolderBlobStore(folder);
        var images = new FolderImages(content);
        var image = await images.DockerImageAsync("amd64", await images.LayerAsync(4_000));
        return new FakeTokenRegistry(content, image);
    }

    /// <summary>Forgets every token issued so far, as a registry does when they are revoked.</summary>
    public void RevokeTokens() => _validTokens.Clear();

    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        await Tokens.DisposeAsync();
        await Storage.DisposeAsync();
    }
}
