using Lading.Images;

namespace Lading.Tests.Images;

public class ImageReferenceTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("nginx", "docker.io/library/nginx:latest")]
    [InlineData("nginx:1.25.3", "docker.io/library/nginx:1.25.3")]
    [InlineData("library/nginx:1.25.3", "docker.io/library/nginx:1.25.3")]
    [InlineData("docker.io/nginx:1.25.3", "docker.io/library/nginx:1.25.3")]
    [InlineData("index.docker.io/library/nginx:1.25.3", "docker.io/library/nginx:1.25.3")]
    [InlineData("bitnami/redis:7.2", "docker.io/bitnami/redis:7.2")]
    [InlineData("quay.io/calico/node:v3.26.1", "quay.io/calico/node:v3.26.1")]
    [InlineData("registry.k8s.io/coredns/coredns:v1.10.1", "registry.k8s.io/coredns/coredns:v1.10.1")]
    [InlineData("localhost/app", "localhost/app:latest")]
    [InlineData("localhost:5000/team/app:2.0", "localhost:5000/team/app:2.0")]
    [InlineData("10.0.0.5:5000/release/cyclone:v1.2.0", "10.0.0.5:5000/release/cyclone:v1.2.0")]
    [InlineData("harbor.corp:8443/a/b/c/d:x_Y-1.0", "harbor.corp:8443/a/b/c/d:x_Y-1.0")]
    [InlineData("[::1]:5000/app:1", "[::1]:5000/app:1")]
    [InlineData("[fd00::5]/team/app", "[fd00::5]/team/app:latest")]
    [InlineData("my-registry.example.com/name.with_sep__x---y:1", "my-registry.example.com/name.with_sep__x---y:1")]
    public void Normalizes_to_registry_repository_and_tag(string text, string normalized)
    {
        Assert.Equal(normalized, ImageReference.Parse(text).ToString());
    }

    [Fact]
    public void Splits_registry_with_port_repository_tag_and_digest()
    {
        var reference = ImageReference.Parse($"localhost:5000/release/cyclone:v1.2.0@sha256:{Hex}");

        Assert.Equal("localhost:5000", reference.Registry);
        Assert.Equal("release/cyclone", reference.Repository);
        Assert.Equal("v1.2.0", reference.Tag);
        Assert.Equal($"sha256:{Hex}", reference.Digest.ToString());
        Assert.Equal($"release/cyclone:v1.2.0@sha256:{Hex}", reference.SiteName);
        Assert.Equal($"sha256:{Hex}", reference.ManifestReference);
        Assert.True(reference.HasExplicitRegistry);
    }

    [Fact]
    public void A_digest_only_reference_has_no_tag()
    {
        var reference = ImageReference.Parse($"quay.io/calico/node@sha256:{Hex}");

        Assert.Null(reference.Tag);
        Assert.Equal($"quay.io/calico/node@sha256:{Hex}", reference.ToString());
        Assert.Equal($"sha256:{Hex}", reference.ManifestReference);
    }

    [Fact]
    public void A_reference_without_host_is_a_site_name_on_docker_hub()
    {
        var reference = ImageReference.Parse("release/cyclone:v1.2.0");

        Assert.False(reference.HasExplicitRegistry);
        Assert.Equal("docker.io", reference.Registry);
        Assert.Equal("release/cyclone:v1.2.0", reference.SiteName);
        Assert.Equal("registry-1.docker.io", reference.ApiHost);
    }

    [Fact]
    public void A_site_name_moves_to_another_registry_keeping_its_path()
    {
        var reference = ImageReference.Parse("library/nginx:1.25.3").WithRegistry("10.0.0.5:5000");

        Assert.Equal("10.0.0.5:5000/library/nginx:1.25.3", reference.ToString());
        Assert.Equal("10.0.0.5:5000", reference.ApiHost);
        Assert.True(reference.HasExplicitRegistry);
    }

    [Fact]
    public void A_capitalized_first_component_is_read_as_a_host()
    {
        var reference = ImageReference.Parse("Registry/app:1");

        Assert.Equal("Registry", reference.Registry);
        Assert.Equal("app", reference.Repository);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("nginx:", "tag after ':' is empty")]
    [InlineData("Library/Nginx:1", "lowercase")]
    [InlineData("quay.io/Calico/node:1", "lowercase")]
    [InlineData("nginx:-1", "cannot start with '.' or '-'")]
    [InlineData("nginx:1.0+build", "may only hold")]
    [InlineData("quay.io//node:1", "empty path component")]
    [InlineData("quay.io/node/:1", "empty path component")]
    [InlineData("quay.io/", "no repository path")]
    [InlineData("quay.io:99999/node:1", "not a port number")]
    [InlineData("quay.io:/node:1", "not a port number")]
    [InlineData("bad_host.io/node:1", "not a valid registry host")]
    [InlineData("nginx@sha256:abc", "is not a digest")]
    [InlineData("nginx@sha512:abc", "only sha256 digests")]
    [InlineData("docker://nginx:1", "no scheme")]
    [InlineData("ngi nx:1", "spaces")]
    [InlineData("a..b/c:1", "not a valid registry host")]
    [InlineData("library/a..b:1", "'..' in 'a..b' is not allowed")]
    [InlineData("library/-a:1", "must start and end")]
    [InlineData("library/a___b:1", "'___' in 'a___b' is not allowed")]
    public void Invalid_references_are_rejected_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<ImageReferenceException>(() => ImageReference.Parse(text));

        Assert.Contains(reason, error.Message);
        Assert.Equal(text, error.Reference);
        Assert.IsAssignableFrom<FormatException>(error);
    }

    [Fact]
    public void A_tag_longer_than_128_characters_is_rejected()
    {
        Assert.False(ImageReference.TryParse("nginx:" + new string('a', 129), out _, out var reason));
        Assert.Contains("longer than 128", reason);
        Assert.True(ImageReference.TryParse("nginx:" + new string('a', 128), out _, out _));
    }

    [Fact]
    public void A_name_longer_than_255_characters_is_rejected()
    {
        Assert.False(ImageReference.TryParse("quay.io/" + new string('a', 250), out _, out var reason));
        Assert.Contains("longer than 255", reason);
    }

    [Fact]
    public void Equal_references_in_different_spellings_compare_equal()
    {
        Assert.Equal(ImageReference.Parse("docker.io/nginx"), ImageReference.Parse("index.docker.io/library/nginx:latest"));
        Assert.NotEqual(ImageReference.Parse("quay.io/a/b:1"), ImageReference.Parse("quay.io/a/b:2"));
    }

    [Fact]
    public void A_site_name_cannot_start_with_a_host()
    {
        Assert.Equal("library/coredns:1.8.0", ImageReference.ForSite("library/coredns", "1.8.0", null).SiteName);
        Assert.Throws<ImageReferenceException>(() => ImageReference.ForSite("k8s.gcr.io/coredns", "1.8.0", null));
    }
}
