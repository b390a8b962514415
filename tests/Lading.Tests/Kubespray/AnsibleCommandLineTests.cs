using Cake.Core.IO;
using Path = System.IO.Path;
using Lading.Kubespray;
using Lading.Tests.Fixtures;
using Lading.Tools.Ansible;

namespace Lading.Tests.Kubespray;

/// <summary>The exact command lines and environment Lading gives ansible-playbook and the scripts that call it.</summary>
public sealed class AnsibleCommandLineTests : IDisposable
{
    private readonly ToolFixture _tools = new("ansible-playbook", "bash");
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        _tools.Dispose();
        _folder.Dispose();
    }

    private RecordingProcessRunner Runner => _tools.Runner;

    private AnsiblePlaybookSettings Settings() => new() { AnsibleHome = new DirectoryPath(_folder.Combine("ansible")) };

    [Fact]
    public void A_playbook_gets_inventory_connection_and_extra_variables_in_order()
    {
        var settings = Settings();
        settings.Inventory = "localhost,";
        settings.Connection = "local";
        settings.WithExtraVariable("image_arch", "arm64").WithExtraVariable("kube_version", "1.31.2");

        new ToolHarness(_tools).AnsiblePlaybook().Run(new FilePath("/srv/kubespray/cluster.yml"), settings);

        Assert.Equal(
            "ansible-playbook \"-i\" \"localhost,\" \"-c\" \"local\" \"-e\" \"image_arch=arm64\" \"-e\" \"kube_version=1.31.2\" \"/srv/kubespray/cluster.yml\"",
            Assert.Single(Runner.CommandLines));
    }

    [Fact]
    public void Variable_files_follow_the_extra_variables_as_at_files()
    {
        var settings = Settings().WithExtraVariable("image_arch", "amd64");
        settings.ExtraVariableFiles.Add("/srv/site/offline-site.yml");
        settings.ExtraVariableFiles.Add("/srv/inventory/group_vars/all/offline.yml");

        new ToolHarness(_tools).AnsiblePlaybook().Run(new FilePath("/srv/site/prepare-nodes.yml"), settings);

        Assert.Equal(
            "ansible-playbook \"-e\" \"image_arch=amd64\" \"-e\" \"@/srv/site/offline-site.yml\" \"-e\" \"@/srv/inventory/group_vars/all/offline.yml\" \"/srv/site/prepare-nodes.yml\"",
            Assert.Single(Runner.CommandLines));
    }

    [Theory]
    [InlineData(KubesprayLayout.V2_24, "v1.31.2")]
    [InlineData(KubesprayLayout.V2_28, "1.31.2")]
    public void The_list_script_runs_with_bash_and_passes_the_architecture_and_version_to_ansible(KubesprayLayout layout, string kubeVersion)
    {
        using var tree = new KubesprayShapedTree(layout);
        var settings = KubesprayListGenerator.Settings(new KubesprayListRequest(tree.Root, "arm64", "1.31.2"), KubesprayTree.Open(tree.Root), _folder.Path);

        new ToolHarness(_tools).PlaybookScript().Run(new FilePath(Path.Combine(tree.Root, KubesprayTree.ScriptPath)), settings);

        Assert.Equal(
            $"bash \"{tree.Root}/contrib/offline/generate_list.sh\" \"-e\" \"image_arch=arm64\" \"-e\" \"kube_version={kubeVersion}\"",
            Assert.Single(Runner.CommandLines));
        Assert.Equal(tree.Root, Runner.Settings[0].WorkingDirectory!.FullPath);
        // Scripts from before the ansible rewrite read the architecture from the environment instead.
        Assert.Equal("arm64", Runner.Settings[0].EnvironmentVariables["IMAGE_ARCH"]);

        // The file the script names, never a DOWNLOAD_YML the agent's environment happens to hold.
        Assert.Equal(tree.DownloadVariables, Runner.Settings[0].EnvironmentVariables["DOWNLOAD_YML"]);
    }

    [Fact]
    public void Ansible_runs_with_the_system_python_first_and_its_own_home_and_config()
    {
        new ToolHarness(_tools).AnsiblePlaybook().Run(new FilePath("/srv/site.yml"), Settings());

        var env = Runner.Settings[0].EnvironmentVariables;
        var home = _folder.Combine("ansible");
        Assert.StartsWith("/usr/bin:", env["PATH"]);
        Assert.DoesNotContain(":/usr/bin:", env["PATH"]);
        Assert.Equal($"{home}/ansible.cfg", env["ANSIBLE_CONFIG"]);
        Assert.Equal("[defaults]\n", File.ReadAllText(env["ANSIBLE_CONFIG"]));
        Assert.Equal(home, env["ANSIBLE_HOME"]);
        Assert.Equal($"{home}/tmp", env["ANSIBLE_LOCAL_TEMP"]);
        Assert.Equal($"{home}/tmp", env["ANSIBLE_REMOTE_TEMP"]);
        Assert.Equal("/usr/bin/python3", env["ANSIBLE_PYTHON_INTERPRETER"]);
        Assert.Equal("1", env["PYTHONNOUSERSITE"]);
    }

    [Fact]
    public void Ansible_without_its_own_home_is_refused_before_anything_runs()
    {
        var settings = new AnsiblePlaybookSettings();

        Assert.Throws<ArgumentException>(() => new ToolHarness(_tools).AnsiblePlaybook().Run(new FilePath("/srv/site.yml"), settings));
        Assert.Empty(Runner.CommandLines);
    }

    [Fact]
    public void An_extra_variable_name_ansible_would_not_take_is_refused()
    {
        var settings = Settings().WithExtraVariable("image arch", "amd64");

        Assert.Throws<ArgumentException>(() => new ToolHarness(_tools).AnsiblePlaybook().Run(new FilePath("/srv/site.yml"), settings));
        Assert.Empty(Runner.CommandLines);
    }
}
