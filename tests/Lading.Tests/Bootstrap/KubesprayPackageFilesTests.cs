using Lading.Bootstrap;
using YamlDotNet.RepresentationModel;

namespace Lading.Tests.Bootstrap;

/// <summary>The inventory sample and the cluster config the Kubespray package ships.</summary>
public sealed class KubesprayPackageFilesTests
{
    private readonly SiteOptions _site = new("offline.site.test", ["10.20.0.5"], filesPort: 8081, registryPort: 5443);

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    [Fact]
    public void The_inventory_sample_has_every_group_kubespray_expects_and_nodes_in_them()
    {
        var all = (YamlMappingNode)Parse(KubesprayPackageFiles.InventorySample())["all"];
        var hosts = ((YamlMappingNode)all["hosts"]).Children.Keys.Select(k => k.ToString()).ToList();
        var children = (YamlMappingNode)all["children"];

        Assert.Equal(["node1", "node2", "node3"], hosts);
        Assert.Equal(["kube_control_plane", "kube_node", "etcd", "k8s_cluster", "calico_rr"], children.Children.Keys.Select(k => k.ToString()));
        Assert.Equal(["node1", "node2", "node3"], ((YamlMappingNode)((YamlMappingNode)children["kube_node"])["hosts"]).Children.Keys.Select(k => k.ToString()));
        Assert.Equal(["kube_control_plane", "kube_node"], ((YamlMappingNode)((YamlMappingNode)children["k8s_cluster"])["children"]).Children.Keys.Select(k => k.ToString()));
    }

    [Fact]
    public void The_cluster_config_points_kubespray_at_the_site_files_and_registry()
    {
        Assert.Equal(
            """
            ---
            # Kubespray takes everything from the offline-resources site (endpoints.yaml of that package).
            registry_host: "offline.site.test:5443"
            files_repo: "http://offline.site.test:8081/files"

            # Binaries keep their upstream host and path under files/.
            dl_k8s_io_url: "{{ files_repo }}/dl.k8s.io"
            github_url: "{{ files_repo }}/github.com"
            storage_googleapis_url: "{{ files_repo }}/storage.googleapis.com"
            get_helm_url: "{{ files_repo }}/get.helm.sh"

            # Images keep their upstream path under the site registry.
            kube_image_repo: "{{ registry_host }}"
            gcr_image_repo: "{{ registry_host }}"
            github_image_repo: "{{ registry_host }}"
            docker_image_repo: "{{ registry_host }}"
            quay_image_repo: "{{ registry_host }}"

            # The registry's certificate is signed by the site CA (tls/ca.pem of offline-resources); install it on every node before deploying.
            containerd_registries_mirrors:
              - prefix: "offline.site.test:5443"
                mirrors:
                  - host: "https://offline.site.test:5443"
                    capabilities: ["pull", "resolve"]
                    skip_verify: false

            """,
            KubesprayPackageFiles.ClusterConfig(_site));
    }

    [Fact]
    public void Images_can_live_under_a_path_of_the_site_registry()
    {
        var config = Parse(KubesprayPackageFiles.ClusterConfig(_site, "offline.site.test:5443/library"));

        Assert.Equal("offline.site.test:5443/library", config["registry_host"].ToString());
        Assert.Equal("{{ registry_host }}", config["kube_image_repo"].ToString());
    }

    [Fact]
    public void An_image_repository_with_quotes_is_refused() =>
        Assert.Equal("image repository", Assert.Throws<BootstrapException>(() => KubesprayPackageFiles.ClusterConfig(_site, "site\"\nevil: 1")).Place);
}
