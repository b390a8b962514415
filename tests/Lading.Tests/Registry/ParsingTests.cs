using System.Net.Http.Headers;
using System.Text;
using Lading.Images;
using Lading.Images.Registry;

namespace Lading.Tests.Registry;

public sealed class ParsingTests
{
    [Fact]
    public void Bearer_challenge_keeps_realm_service_and_a_scope_with_commas()
    {
        var challenge = AuthChallenge.Parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull,push\"")!;

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal(["repository:library/nginx:pull,push"], challenge.Scopes);
    }

    [Fact]
    public void Basic_challenge_with_unquoted_realm_is_read()
    {
        var challenge = AuthChallenge.Parse("Basic realm=registry")!;

        Assert.True(challenge.IsBasic);
        Assert.Equal("registry", challenge.Realm);
        Assert.Null(AuthChallenge.Parse(" "));
    }

    [Theory]
    [InlineData("linux/amd64", "linux", "amd64", null)]
    [InlineData("linux/arm64/v8", "linux", "arm64", "v8")]
    [InlineData(" Linux/ARM/v7 ", "linux", "arm", "v7")]
    public void Platform_is_os_architecture_and_optional_variant(string text, string os, string architecture, string? variant) =>
        Assert.Equal(new Platform(os, architecture, variant), PlatformSelection.ParsePlatform(text));

    [Theory]
    [InlineData("linux")]
    [InlineData("linux/")]
    [InlineData("linux/arm/v7/extra")]
    public void Platform_without_os_and_architecture_is_rejected_with_an_example(string text) =>
        Assert.Contains("expected os/architecture[/variant]", Assert.Throws<FormatException>(() => PlatformSelection.ParsePlatform(text)).Message);

    [Fact]
    public void Selection_matches_variants_and_treats_arm64_without_variant_as_v8()
    {
        var selection = PlatformSelection.Parse("linux/amd64, linux/arm64/v8");

        Assert.True(selection.Accepts(new Platform("linux", "amd64")));
        Assert.True(selection.Accepts(new Platform("linux", "amd64", "v3")));
        Assert.True(selection.Accepts(new Platform("linux", "arm64")));
        Assert.False(selection.Accepts(new Platform("linux", "arm", "v7")));
        Assert.False(selection.Accepts(null));
        Assert.True(PlatformSelection.Parse("all").Accepts(new Platform("unknown", "unknown")));
        Assert.Equal("linux/amd64,linux/arm64/v8", selection.ToString());
    }

    [Fact]
    public void Docker_config_reads_base64_auth_and_username_password_and_docker_hub_aliases()
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("hub-user:hub:pass"));
        var credentials = DockerConfigCredentials.Parse($$"""
            {
              "auths": {
                "https://index.docker.io/v1/": { "auth": "{{auth}}" },
                "registry.example.com:5000": { "username": "ci", "password": "pw" },
                "empty.example.com": {}
              },
              "credsStore": "desktop"
            }
            """, "config.json");

        Assert.Equal(("hub-user", "hub:pass"), Pair(credentials.Find("docker.io")));
        Assert.Equal(("hub-user", "hub:pass"), Pair(credentials.Find("registry-1.docker.io")));
        Assert.Equal(("ci", "pw"), Pair(credentials.Find("Registry.Example.com:5000")));
        Assert.Null(credentials.Find("empty.example.com"));
        Assert.Null(credentials.Find("quay.io"));
        Assert.Equal("ci:***", credentials.Find("registry.example.com:5000")!.ToString());
    }

    [Fact]
    public void Malformed_docker_config_names_the_file_but_quotes_nothing_of_it()
    {
        var error = Assert.Throws<FormatException>(() => DockerConfigCredentials.Parse("{\"auths\": {\"x\": {\"auth\": \"c2VjcmV0\"", "/home/ci/.docker/config.json"));

        Assert.StartsWith("/home/ci/.docker/config.json:", error.Message);
        Assert.DoesNotContain("c2VjcmV0", error.Message);
    }

    [Fact]
    public void Missing_docker_config_means_no_credentials() =>
        Assert.Null(DockerConfigCredentials.Load("/nonexistent/config.json").Find("docker.io"));

    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("localhost", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("harbor.internal:8443", true)]
    [InlineData("mirror.internal", true)]
    [InlineData("harbor.internal", false)]
    [InlineData("quay.io", false)]
    public void Plain_http_only_for_loopback_and_registries_listed_as_insecure(string host, bool plain)
    {
        using var client = new RegistryClient(new RegistryClientOptions { InsecureRegistries = ["harbor.internal:8443", "mirror.internal"] });

        Assert.Equal(plain, client.MayUsePlainHttp(host));
    }

    [Fact]
    public void Docker_hub_is_served_from_registry_1_and_short_names_live_under_library()
    {
        var repository = new RegistryRepository("docker.io", "nginx");

        Assert.Equal("registry-1.docker.io", repository.ApiHost);
        Assert.Equal("library/nginx", repository.Path);
        Assert.Equal("quay.io", new RegistryRepository("Quay.io", "calico/node").ApiHost);
    }

    private static (string, string)? Pair(RegistryCredential? credential) => credential is null ? null : (credential.Username, credential.Password);

}
