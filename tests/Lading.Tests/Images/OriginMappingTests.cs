using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

public class OriginMappingTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly OriginMapping Mapping = OriginMapping.Parse(
        """
        - {src: k8s.gcr.io/coredns, dest: library/coredns}
        - src: quay.io/calico/node
          dest: library/calico-node
        - {src: nginx, dest: library/nginx-upstream}
        """,
        "images_origin.yaml");

    [Fact]
    public void A_mapped_upstream_image_is_stored_under_its_destination()
    {
        Assert.Equal("library/coredns:1.8.0", Mapping.SiteNameOf(ImageReference.Parse("k8s.gcr.io/coredns:1.8.0")).SiteName);
        Assert.Equal("library/calico-node:v3.26.1", Mapping.SiteNameOf(ImageReference.Parse("quay.io/calico/node:v3.26.1")).SiteName);
        Assert.Equal("library/nginx-upstream:1.25", Mapping.SiteNameOf(ImageReference.Parse("docker.io/library/nginx:1.25")).SiteName);
    }

    [Fact]
    public void An_unmapped_full_reference_keeps_its_path_without_the_host()
    {
        var site = Mapping.SiteNameOf(ImageReference.Parse($"ghcr.io/fluxcd/flux:v2@sha256:{Hex}"));

        Assert.Equal($"fluxcd/flux:v2@sha256:{Hex}", site.SiteName);
        Assert.False(site.HasExplicitRegistry);
    }

    [Fact]
    public void A_site_name_is_kept_as_it_is()
    {
        Assert.Equal("library/coredns:1.8.0", Mapping.SiteNameOf(ImageReference.Parse("library/coredns:1.8.0")).SiteName);
    }

    [Fact]
    public void A_site_name_maps_back_to_its_upstream_with_tag_and_digest()
    {
        Assert.Equal("k8s.gcr.io/coredns:1.8.0", Mapping.UpstreamOf(ImageReference.Parse("library/coredns:1.8.0"))!.ToString());
        Assert.Equal($"quay.io/calico/node@sha256:{Hex}", Mapping.UpstreamOf(ImageReference.Parse($"library/calico-node@sha256:{Hex}"))!.ToString());
        Assert.Equal("docker.io/library/nginx:1.25", Mapping.UpstreamOf(ImageReference.Parse("library/nginx-upstream:1.25"))!.ToString());
        Assert.Null(Mapping.UpstreamOf(ImageReference.Parse("release/cyclone:v1.2.0")));
    }

    [Fact]
    public void Two_sources_onto_one_destination_are_an_error_with_file_line_and_column()
    {
        var error = Assert.Throws<OriginMappingException>(() => OriginMapping.Parse(
            """
            - {src: k8s.gcr.io/coredns, dest: library/coredns}
            - {src: registry.k8s.io/coredns/coredns, dest: library/coredns}
            """,
            "images_origin.yaml"));

        Assert.Equal(
            ["images_origin.yaml:2:3: dest 'library/coredns' already receives 'k8s.gcr.io/coredns' (images_origin.yaml:1:3); two sources cannot share one destination"],
            error.Problems);
    }

    [Fact]
    public void Every_bad_entry_is_reported_at_once()
    {
        var error = Assert.Throws<OriginMappingException>(() => OriginMapping.Parse(
            """
            - {src: k8s.gcr.io/coredns:1.8.0, dest: library/coredns}
            - {src: quay.io/a/b, dest: quay.io/b}
            - {src: quay.io/a/c}
            - {src: quay.io/a/d, dest: library/d, tag: x}
            - just-a-string
            - {src: quay.io/a/e, dest: coredns}
            - {src: quay.io/a/f, dest: library/f}
            - {src: quay.io/a/f, dest: library/g}
            """,
            "o.yaml"));

        Assert.Equal(
            [
                "o.yaml:1:9: src 'k8s.gcr.io/coredns:1.8.0' must name a repository without tag or digest",
                "o.yaml:2:28: dest 'quay.io/b' must be a site repository without registry host, like library/coredns",
                "o.yaml:3:3: the entry has no dest",
                "o.yaml:4:39: unknown key 'tag' (only src and dest)",
                "o.yaml:5:3: expected {src: <upstream repository>, dest: <site repository>}",
                "o.yaml:6:28: dest 'coredns' must be written in full, as 'library/coredns'",
                "o.yaml:8:3: src 'quay.io/a/f' is already mapped to 'library/f' (o.yaml:7:3); one source has one destination",
            ],
            error.Problems);
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_its_place()
    {
        var error = Assert.Throws<OriginMappingException>(() => OriginMapping.Parse("- {src: a, dest: b}\n- {src: c, dest: d\n", "o.yaml"));
        var odd = Assert.Throws<OriginMappingException>(() => OriginMapping.Parse("- {src: a\n- b: [", "o.yaml"));

        Assert.StartsWith("o.yaml:3:1: not valid YAML", error.Problems.Single());
        Assert.StartsWith("o.yaml: not valid YAML", odd.Problems.Single());
    }

    [Fact]
    public void An_empty_file_maps_nothing()
    {
        using var temp = new TempFolder();
        var mapping = OriginMapping.Load(temp.Write("images_origin.yaml", "# nothing yet\n"));

        Assert.Empty(mapping.Rules);
        Assert.Null(mapping.UpstreamOf(ImageReference.Parse("library/a:1")));
    }

    [Fact]
    public void A_document_that_is_not_a_list_is_rejected()
    {
        var error = Assert.Throws<OriginMappingException>(() => OriginMapping.Parse("src: a\ndest: b\n", "o.yaml"));

        Assert.Equal(["o.yaml:1:1: expected a list of {src: <upstream repository>, dest: <site repository>}"], error.Problems);
    }
}
