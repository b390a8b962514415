using Cake.Core.IO;
using Lading.Kubespray;
using Lading.Tests.Fixtures;
using Lading.Tools.Nerdctl;

namespace Lading.Tests.Kubespray;

/// <summary>The exact nerdctl command lines: loading archives, compose, and running the Kubespray image.</summary>
public sealed class NerdctlCommandLineTests : IDisposable
{
    private readonly ToolFixture _tools = new("nerdctl");

    public void Dispose() => _tools.Dispose();

    [Fact]
    public void Image_archives_are_loaded_with_load_i()
    {
        new ToolHarness(_tools).Nerdctl().Load(new FilePath("/opt/site/bootstrap/nginx.oci.tar"), new NerdctlSettings());

        Assert.Equal("nerdctl load -i \"/opt/site/bootstrap/nginx.oci.tar\"", Assert.Single(_tools.CommandLines));
    }

    [Fact]
    public void Compose_starts_detached_and_stops_with_the_same_file_and_project()
    {
        var nerdctl = new ToolHarness(_tools).Nerdctl();

        nerdctl.ComposeUp(new FilePath("/opt/site/compose.yaml"), "offline-resources", new NerdctlSettings());
        nerdctl.ComposeDown(new FilePath("/opt/site/compose.yaml"), "offline-resources", new NerdctlSettings());

        Assert.Equal(
        [
            "nerdctl compose -f \"/opt/site/compose.yaml\" -p \"offline-resources\" up -d",
            "nerdctl compose -f \"/opt/site/compose.yaml\" -p \"offline-resources\" down",
        ], _tools.CommandLines);
    }

    [Fact]
    public void A_namespace_goes_before_the_command()
    {
        new ToolHarness(_tools).Nerdctl().Load(new FilePath("/tmp/registry.tar"), new NerdctlSettings { Namespace = "k8s.io" });

        Assert.Equal("nerdctl --namespace \"k8s.io\" load -i \"/tmp/registry.tar\"", Assert.Single(_tools.CommandLines));
    }

    [Fact]
    public void The_kubespray_image_runs_on_the_host_network_with_the_inventory_and_a_read_only_ssh_key()
    {
        var run = KubesprayRun.Playbook("site.example:5000/kubespray:v2.26.0", "/root/inventory", "/root/.ssh/id_ed25519", extraArguments: ["--limit", "node2"]);

        new ToolHarness(_tools).Nerdctl().Run(run, new NerdctlSettings());

        Assert.Equal(
            "nerdctl run --rm --name \"kubespray\" --network host "
            + "-v \"/root/inventory:/inventory\" -v \"/root/.ssh/id_ed25519:/root/.ssh/id_rsa:ro\" "
            + "\"site.example:5000/kubespray:v2.26.0\" \"-i\" \"/inventory/hosts.yaml\" \"--private-key\" \"/root/.ssh/id_rsa\" \"--become\" \"--limit\" \"node2\" \"cluster.yml\"",
            Assert.Single(_tools.CommandLines));
    }

    [Fact]
    public void A_run_can_pass_environment_and_stay_off_the_host_network()
    {
        var run = new NerdctlRun("docker.io/library/busybox:1.36")
        {
            HostNetwork = false,
            Remove = false,
            Environment = [new("ANSIBLE_FORCE_COLOR", "0")],
            Arguments = ["true"],
        };

        new ToolHarness(_tools).Nerdctl().Run(run, new NerdctlSettings());

        Assert.Equal("nerdctl run -e \"ANSIBLE_FORCE_COLOR=0\" \"docker.io/library/busybox:1.36\" \"true\"", Assert.Single(_tools.CommandLines));
    }
}
