using Lading.Bootstrap;
using Lading.Kubespray;
using YamlDotNet.RepresentationModel;

namespace Lading.Tests.Bootstrap;

/// <summary>The inventory sample, the cluster config, the site's values and the playbooks the Kubespray package ships.</summary>
public sealed class KubesprayPackageFilesTests
{
    private readonly SiteOptions _site = new("offline.site.test", ["10.20.0.5", "10.20.0.6"], filesPort: 8081, registryPort: 5443);

    private static YamlNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Single().RootNode;
    }

    [Fact]
    public void The_inventory_sample_has_every_group_kubespray_expects_and_nodes_in_them()
    {
        var all = (YamlMappingNode)((YamlMappingNode)Parse(KubesprayPackageFiles.InventorySample()))["all"];
        var hosts = ((YamlMappingNode)all["hosts"]).Children.Keys.Select(k => k.ToString()).ToList();
        var children = (YamlMappingNode)all["children"];

        Assert.Equal(["node1", "node2", "node3"], hosts);
        Assert.Equal(["kube_control_plane", "kube_node", "etcd", "k8s_cluster", "calico_rr"], children.Children.Keys.Select(k => k.ToString()));
        Assert.Equal(["node1", "node2", "node3"], ((YamlMappingNode)((YamlMappingNode)children["kube_node"])["hosts"]).Children.Keys.Select(k => k.ToString()));
        Assert.Equal(["kube_control_plane", "kube_node"], ((YamlMappingNode)((YamlMappingNode)children["k8s_cluster"])["children"]).Children.Keys.Select(k => k.ToString()));
    }

    [Fact]
    public void The_cluster_config_points_kubespray_at_the_site_through_its_values_and_mirrors_each_registry()
    {
        Assert.Equal(
            """
            ---
            # Kubespray takes everything from the offline-resources site. The site's values (offline_site_*) are in
            # site/offline-site.yml of the Kubespray package, written by its load.sh; install.sh passes them to every playbook.
            registry_host: "{{ offline_site_registry }}"
            files_repo: "{{ offline_site_files_url }}"

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

            # containerd pulls the site's own names, and the upstream names of what the site stores, from the site
            # registry, trusting the site CA (prepare-nodes.yml writes the same files before Kubespray runs).
            containerd_registries_mirrors:
              - prefix: "{{ registry_host }}"
                mirrors:
                  - host: "https://{{ registry_host }}"
                    capabilities: ["pull", "resolve"]
                    skip_verify: false
                    ca: ["{{ offline_site_node_ca }}"]
              - prefix: "docker.io"
                mirrors:
                  - host: "https://{{ registry_host }}"
                    capabilities: ["pull", "resolve"]
                    skip_verify: false
                    ca: ["{{ offline_site_node_ca }}"]

            """,
            KubesprayClusterConfig.Render(["docker.io"], []));
    }

    [Fact]
    public void Names_the_base_variables_do_not_reach_get_one_variable_each_with_the_reason()
    {
        var config = KubesprayClusterConfig.Render([], [
            new KubesprayOverride("coredns_image_repo", "{{ registry_host }}/library/coredns", "registry.k8s.io/coredns/coredns:v1.11.1 is stored as library/coredns:v1.11.1"),
            new KubesprayOverride("dl_k8s_io_url", "{{ files_repo }}/dl.k8s.io:8443", "https://dl.k8s.io:8443/release/v1.30.4/bin/linux/amd64/kubelet is stored as files/dl.k8s.io:8443/release/v1.30.4/bin/linux/amd64/kubelet"),
        ]);

        Assert.Contains(
            """
            # Binaries keep their upstream host and path under files/.
            # https://dl.k8s.io:8443/release/v1.30.4/bin/linux/amd64/kubelet is stored as files/dl.k8s.io:8443/release/v1.30.4/bin/linux/amd64/kubelet
            dl_k8s_io_url: "{{ files_repo }}/dl.k8s.io:8443"
            github_url: "{{ files_repo }}/github.com"

            """,
            config);
        Assert.Contains(
            """
            quay_image_repo: "{{ registry_host }}"
            # Images stored under another name than their upstream path: one variable each.
            # registry.k8s.io/coredns/coredns:v1.11.1 is stored as library/coredns:v1.11.1
            coredns_image_repo: "{{ registry_host }}/library/coredns"

            """,
            config);
        var parsed = (YamlMappingNode)Parse(config);
        Assert.Equal("{{ registry_host }}/library/coredns", parsed["coredns_image_repo"].ToString());
    }

    [Fact]
    public void A_base_variable_the_proof_moved_keeps_its_place_with_the_reason()
    {
        var config = KubesprayClusterConfig.Render([], [new KubesprayOverride("kube_image_repo", "{{ registry_host }}/library", "registry.k8s.io/pause:3.9 is stored as library/pause:3.9")]);

        Assert.Contains(
            """
            # Images keep their upstream path under the site registry.
            # registry.k8s.io/pause:3.9 is stored as library/pause:3.9
            kube_image_repo: "{{ registry_host }}/library"
            gcr_image_repo: "{{ registry_host }}"

            """,
            config);
    }

    [Fact]
    public void The_site_values_are_pre_filled_for_the_site_the_package_was_built_for()
    {
        Assert.Equal(
            """
            ---
            # The offline-resources site this package installs from. load.sh rewrites this file from the installed site
            # (/etc/offline-resources/site.env); install.sh passes it to every playbook.
            offline_site_hostname: "offline.site.test"
            offline_site_addresses: ["10.20.0.5", "10.20.0.6"]
            offline_site_registry: "offline.site.test:5443"
            offline_site_files_url: "https://offline.site.test:8081/files"
            offline_site_repos_url: "https://offline.site.test:8081/repos"
            # The OS repositories the site holds, <distribution>-<release>/<architecture>; each node gets its own.
            offline_site_os_repos: ["debian-12/amd64", "rocky-9/amd64"]
            offline_site_node_ca: "/etc/offline-resources/ca.pem"

            """,
            KubesprayClusterConfig.SiteVariables(_site, ["debian-12/amd64", "rocky-9/amd64"]));
    }

    [Fact]
    public void The_playbooks_are_yaml_ansible_reads_and_aim_at_the_right_hosts()
    {
        var prepare = (YamlMappingNode)((YamlSequenceNode)Parse(NodePlaybooks.PrepareNodesPlaybook())).Single();
        var record = (YamlMappingNode)((YamlSequenceNode)Parse(NodePlaybooks.RecordSystemInfoPlaybook("v2.26.0"))).Single();

        Assert.Equal("k8s_cluster:etcd", prepare["hosts"].ToString());
        Assert.Equal("kube_control_plane[0]", record["hosts"].ToString());
        Assert.Equal("v2.26.0", ((YamlMappingNode)record["vars"])["offline_site_kubespray_package"].ToString());
        Assert.Equal("system-info", ((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)record["vars"])["system_info"])["metadata"])["name"].ToString());
    }
}
