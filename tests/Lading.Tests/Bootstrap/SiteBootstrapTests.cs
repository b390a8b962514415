using Lading.Bootstrap;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Bootstrap;

/// <summary>Writing the bootstrap of each package into its folder in one call.</summary>
public sealed class SiteBootstrapTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly SiteOptions _site = new("offline.site.test", ["10.20.0.5"]);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_offline_resources_package_gets_its_site_yaml_and_an_executable_install_script()
    {
        var archives = new SiteArchives("files/nerdctl-full.tar.gz", "images-archives/nginx.oci.tar", "images-archives/registry.oci.tar");

        var written = SiteBootstrap.WriteTo(_folder.Path, _site, archives);

        Assert.Equal(["site.yaml", "install.sh"], written);
        Assert.Equal(_site.ToYaml(), File.ReadAllText(_folder.Combine("site.yaml")));
        Assert.True(File.GetUnixFileMode(_folder.Combine("install.sh")).HasFlag(UnixFileMode.OtherExecute));
        // The TLS material is made on site: nothing of it is in the package.
        Assert.False(Directory.Exists(_folder.Combine("tls")));
    }

    [Fact]
    public void The_install_script_names_the_images_by_their_full_reference_and_the_package_paths_quoted()
    {
        var site = _site with { NginxImage = "library/nginx:1.27", RegistryImage = "quay.io/lading/registry:2" };

        var script = SiteInstallScript.Render(site, new SiteArchives(null, "images-archives/nginx.oci.tar", "images-archives/registry.oci.tar"));

        Assert.Contains("nginx_image='docker.io/library/nginx:1.27'\n", script);
        Assert.Contains("registry_image='quay.io/lading/registry:2'\n", script);
        Assert.Contains("nerdctl_full=''\n", script);
        Assert.Contains("nginx_archive='images-archives/nginx.oci.tar'\n", script);
    }

    [Fact]
    public void The_kubespray_package_gets_an_inventory_its_config_the_site_values_its_playbooks_and_two_scripts()
    {
        var written = KubesprayPackageFiles.WriteTo(_folder.Path, _site, "v2.26.0", "v1", ["debian-12/amd64"], ["docker.io"]);

        Assert.Equal(
            ["inventory/hosts.yaml", "inventory/group_vars/all/offline.yml", "site/offline-site.yml", "site/prepare-nodes.yml", "site/templates/hosts.toml.j2", "site/record-system-info.yml", "load.sh", "install.sh"],
            written);
        Assert.Equal(KubesprayPackageFiles.InventorySample(), File.ReadAllText(_folder.Combine("inventory/hosts.yaml")));
        Assert.True(File.GetUnixFileMode(_folder.Combine("install.sh")).HasFlag(UnixFileMode.OtherExecute));
        Assert.True(File.GetUnixFileMode(_folder.Combine("load.sh")).HasFlag(UnixFileMode.OtherExecute));
    }

    [Fact]
    public void The_os_repositories_of_a_package_folder_are_named_distribution_release_and_architecture()
    {
        Directory.CreateDirectory(_folder.Combine("repos", "debian-12", "amd64"));
        Directory.CreateDirectory(_folder.Combine("repos", "rocky-9", "arm64"));
        Directory.CreateDirectory(_folder.Combine("repos", "debian-12", "arm64"));

        Assert.Equal(["debian-12/amd64", "debian-12/arm64", "rocky-9/arm64"], KubesprayPackageFiles.OsRepos(_folder.Path));
        Assert.Empty(KubesprayPackageFiles.OsRepos(_folder.Combine("none")));
    }
}
