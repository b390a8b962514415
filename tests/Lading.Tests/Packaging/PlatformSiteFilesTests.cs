using Lading.Images;
using Lading.Packaging;
using Lading.Release;

namespace Lading.Tests.Packaging;

/// <summary>The tables a platform package's install.sh reads, and the names images are checked under.</summary>
public sealed class PlatformSiteFilesTests
{
    private static PackagedChartEntry Chart(string name, string version) => new(name, version, $"charts/{name}-{version}.tgz", new string('0', 64));

    [Fact]
    public void Addons_follow_version_yml_with_its_namespaces_and_enable_flags_then_unlisted_charts_disabled()
    {
        var versions = VersionFile.Parse("""
            spec:
              modules:
              - name: base
                addons:
                - {name: gateway, namespace: kube-system, version: v1}
                - {name: cache, enable: false, namespace: kube-system, version: v7}
                - {name: absent, namespace: x, version: v1}
              - name: devops
                enable: false
                addons:
                - {name: cyclone, namespace: devops-system, version: v1.2.0}
              - name: console
                addons:
                - {name: console, version: v1.0.0}
            """, "version.yml");

        var rows = PlatformSiteFiles.AddonsOf([Chart("zeta", "v0"), Chart("console", "v1.0.0"), Chart("cyclone", "v1.2.0"), Chart("cache", "v7"), Chart("gateway", "v1")], versions);

        Assert.Equal(
            [
                new AddonRow("gateway", "v1", "kube-system", true, "charts/gateway-v1.tgz"),
                new AddonRow("cache", "v7", "kube-system", false, "charts/cache-v7.tgz"),
                new AddonRow("cyclone", "v1.2.0", "devops-system", false, "charts/cyclone-v1.2.0.tgz"),
                new AddonRow("console", "v1.0.0", "default", true, "charts/console-v1.0.0.tgz"),
                new AddonRow("zeta", "v0", "default", false, "charts/zeta-v0.tgz"),
            ],
            rows);
        Assert.Equal(rows, PlatformSiteFiles.ParseAddons(PlatformSiteFiles.RenderAddons(rows), "addons.tsv"));
        Assert.StartsWith("# name\tversion\tnamespace\tenable\tchart", PlatformSiteFiles.RenderAddons(rows));
        Assert.Contains("gateway\tv1\tkube-system\ttrue\tcharts/gateway-v1.tgz\n", PlatformSiteFiles.RenderAddons(rows));
    }

    [Fact]
    public void Without_a_version_yml_every_chart_is_enabled_in_the_default_namespace()
    {
        Assert.Equal([new AddonRow("a", "1", "default", true, "charts/a-1.tgz")], PlatformSiteFiles.AddonsOf([Chart("a", "1")], null));
    }

    [Fact]
    public void A_broken_addons_line_is_named_with_its_place()
    {
        var error = Assert.Throws<PackageException>(() => PlatformSiteFiles.ParseAddons("a\t1\tns\tyes\tcharts/a-1.tgz\n", "pkg/addons.tsv"));

        Assert.StartsWith("pkg/addons.tsv:1: expected name, version, namespace, enable (true|false) and chart", error.Message);
    }

    [Fact]
    public void The_origin_table_reads_back_as_the_mapping_it_was_written_from()
    {
        var origin = OriginMapping.Parse("- {src: k8s.gcr.io/coredns, dest: library/coredns}\n- {src: nginx, dest: library/nginx-up}\n", "images_origin.yaml");

        var text = PlatformSiteFiles.RenderOrigins(origin);

        Assert.EndsWith("k8s.gcr.io/coredns\tlibrary/coredns\ndocker.io/library/nginx\tlibrary/nginx-up\n", text);
        Assert.Equal(origin.Rules.Select(r => (r.Source, r.Destination)), PlatformSiteFiles.ParseOrigins(text, "image-origins.tsv").Rules.Select(r => (r.Source, r.Destination)));
    }

    [Theory]
    [InlineData("site.test:5443/release/console:v1", "release/console:v1")]
    [InlineData("site.test:5443/nginx:1.25", "nginx:1.25")]
    [InlineData("nginx:1.25", "library/nginx:1.25")]
    [InlineData("docker.io/library/nginx", "library/nginx:latest")]
    [InlineData("k8s.gcr.io/coredns:1.8", "library/coredns:1.8")]
    [InlineData("quay.io/calico/node:v3", "calico/node:v3")]
    [InlineData("release/console:v1", "release/console:v1")]
    public void An_image_is_looked_for_under_the_name_it_is_stored_under(string reference, string stored)
    {
        var origin = OriginMapping.Parse("- {src: k8s.gcr.io/coredns, dest: library/coredns}\n", "images_origin.yaml");

        Assert.Equal(stored, SiteImage.Of(ImageReference.Parse(reference), "site.test:5443", origin).Name);
    }

    [Fact]
    public void The_index_holds_the_tags_and_manifest_revisions_of_a_registry_tree()
    {
        var hex = new string('a', 64);
        var index = PackageImageIndex.FromPaths([
            "platform-v1/images/registry/docker/registry/v2/repositories/library/nginx/_manifests/tags/1.25.3/current/link",
            $"platform-v1/images/registry/docker/registry/v2/repositories/library/nginx/_manifests/revisions/sha256/{hex}/link",
            $"platform-v1/images/registry/docker/registry/v2/repositories/library/nginx/_layers/sha256/{hex}/link",
            "platform-v1/images/registry/docker/registry/v2/repositories/library/nginx/_manifests/tags/1.25.3/index/sha256/x/link",
            $"platform-v1/images/registry/docker/registry/v2/blobs/sha256/aa/{hex}/data",
        ]);

        Assert.Equal(["library/nginx:1.25.3", $"library/nginx@sha256:{hex}"], index.Keys.Order(StringComparer.Ordinal));
        Assert.True(index.Contains(new SiteImage("library/nginx", "1.25.3", null)));
        Assert.True(index.Contains(SiteImage.Of(ImageReference.Parse($"nginx:other@sha256:{hex}"), "x", OriginMapping.Empty)));
        Assert.False(index.Contains(new SiteImage("library/nginx", "1.25.4", null)));
    }
}
