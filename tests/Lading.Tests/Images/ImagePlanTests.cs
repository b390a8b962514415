using Lading.Images;

namespace Lading.Tests.Images;

public class ImagePlanTests
{
    private static readonly OriginMapping Origin = OriginMapping.Parse(
        """
        - {src: k8s.gcr.io/coredns, dest: library/coredns}
        - {src: quay.io/calico/node, dest: library/calico-node}
        """,
        "images_origin.yaml");

    [Fact]
    public void A_site_name_comes_from_the_source_registry_then_from_its_origin()
    {
        var plan = Plan("library/coredns:1.8.0\nrelease/cyclone:v1.2.0\n", "10.0.0.5:5000");

        Assert.Equal(
            [
                "library/coredns:1.8.0 <- docker://10.0.0.5:5000/library/coredns:1.8.0, then docker://k8s.gcr.io/coredns:1.8.0",
                "release/cyclone:v1.2.0 <- docker://10.0.0.5:5000/release/cyclone:v1.2.0",
            ],
            plan.Describe());
    }

    [Fact]
    public void A_full_reference_comes_from_where_it_says_and_is_stored_under_its_dest()
    {
        var plan = Plan("quay.io/calico/node:v3.26.1\nghcr.io/fluxcd/flux:v2\n", "10.0.0.5:5000");

        Assert.Equal(
            [
                "library/calico-node:v3.26.1 <- docker://quay.io/calico/node:v3.26.1",
                "fluxcd/flux:v2 <- docker://ghcr.io/fluxcd/flux:v2",
            ],
            plan.Describe());
    }

    [Fact]
    public void Without_source_registry_a_site_name_falls_back_to_its_origin()
    {
        var plan = Plan("library/coredns:1.8.0\n", null);

        Assert.Equal(["library/coredns:1.8.0 <- docker://k8s.gcr.io/coredns:1.8.0"], plan.Describe());
    }

    [Fact]
    public void A_site_name_with_nowhere_to_come_from_is_an_error_with_file_and_line()
    {
        var error = Assert.Throws<ImageListException>(() => Plan("library/coredns:1.8.0\nrelease/cyclone:v1.2.0\n", null));

        Assert.Equal(
            ["images.list:2: 'release/cyclone:v1.2.0' has no registry host, and neither a source registry nor images_origin.yaml says where to fetch it"],
            error.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Two_images_landing_on_one_site_name_are_an_error()
    {
        var error = Assert.Throws<ImageListException>(() => Plan("quay.io/calico/node:v3.26.1\nghcr.io/fluxcd/flux:v2\nfluxcd/flux:v2\nlibrary/calico-node:v3.26.1\n", "harbor"));

        Assert.Equal(
            [
                "images.list:3: 'fluxcd/flux:v2' would be stored as fluxcd/flux:v2, already taken by 'ghcr.io/fluxcd/flux:v2' (images.list:2); map one of them to another dest in images_origin.yaml",
                "images.list:4: 'library/calico-node:v3.26.1' would be stored as library/calico-node:v3.26.1, already taken by 'quay.io/calico/node:v3.26.1' (images.list:1); map one of them to another dest in images_origin.yaml",
            ],
            error.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void An_oci_source_registry_finds_site_names_by_ref_name()
    {
        var plan = Plan("release/cyclone:v1.2.0\noci:layouts/extra:library/busybox:1.36\n", "oci:/srv/site-images");

        Assert.Equal(
            [
                "release/cyclone:v1.2.0 <- oci:/srv/site-images:release/cyclone:v1.2.0",
                "library/busybox:1.36 <- oci:/work/images/layouts/extra:library/busybox:1.36",
            ],
            plan.Describe());
    }

    [Theory]
    [InlineData("http://10.0.0.5")]
    [InlineData("bad_host:5000")]
    [InlineData("10.0.0.5:notaport")]
    public void A_bad_source_registry_is_rejected(string text)
    {
        var error = Assert.Throws<ImageReferenceException>(() => Plan("release/a:1\n", text));

        Assert.Contains("a source registry is host[:port]", error.Message);
    }

    private static ImagePlan Plan(string list, string? sourceRegistry) =>
        ImagePlan.Create(ImageList.Parse(list, list.Contains("oci:") ? "/work/images/images.list" : "images.list"), Origin, sourceRegistry);
}
