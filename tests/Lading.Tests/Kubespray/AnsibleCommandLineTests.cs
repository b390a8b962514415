using Cake.Core.IO;
using Path = System.IO.Path;
using Lading.Kubespray;
using Lading.Tests.Fixtures;
using Lading.Tools.Ansible;

namespace Lading.Tests.Kubespray;

/// <summary>The exact command lines and environment Lading gives ansible-playbook and the scripts that call it.</summary>
public sealed class AnsibleCommandLineTests : IDisposable
{
    private readonly RecordingProcessRunner _runner = new();
    private readonly TempFolder _folder = new();

    // Any existing file stands in for the executable: the recording runner never starts it.
    private static readonly FilePath Executable = new(typeof(AnsibleCommandLineTests).Assembly.Location);

    public void Dispose() => _folder.Dispose();

    private AnsiblePlaybookSettings Settings() => new() { ToolPath = Executable, AnsibleHome = new DirectoryPath(_folder.Combine("ansible")) };

    [Fact]
    public void A_playbook_gets_inventory_connection_and_extra_variables_in_order()
    {
        var settings = Settings();
        settings.Inventory = "localhost,";
        settings.Connection = "local";
        settings.WithExtraVariable("image_arch", "arm64").WithExtraVariable("kube_version", "1.31.2");

        new ToolHarness(_runner).AnsiblePlaybook().Run(new FilePath("/srv/kubespray/cluster.yml"), settings);

        Assert.Equal(
            "Lading.Tests.dll \"-i\" \"localhost,\" \"-c\" \"local\" \"-e\" \"image_arch=arm64\" \"-e\" \"kube_version=1.31.2\" \"/srv/kubespray/cluster.yml\"",
            Assert.Single(_runner.CommandLines));
    }

    [Fact]
    public void Variable_files_follow_the_extra_variables_as_at_files()
    {
        var settings = Settings().WithExtraVariable("image_arch", "amd64");
        settings.ExtraVariableFiles.Add("/srv/site/offline-site.yml");
        settings.ExtraVariableFiles.Add("/srv/inventory/group_vars/all/offline.yml");

        new ToolHarness(_runner).AnsiblePlaybook().Run(new FilePath("/srv/site/prepare-nodes.yml"), settings);

        Assert.Equal(
            "Lading.Tests.dll \"-e\" \"image_arch=amd64\" \"-e\" \"@/srv/site/offline-site.yml\" \"-e\" \"@/srv/inventory/group_vars/all/offline.yml\" \"/srv/site/prepare-nodes.yml\"",
            Assert.Single(_runner.CommandLines));
    }

    [Fact]
    public void The_list_script_runs_with_bash_and_passes_the_architecture_and_version_to_ansible()
    {
        using var tree = new KubesprayShapedTree();
        var settings = KubesprayListGenerator.Settings(new KubesprayListRequest(tree.Root, "arm64", "1.31.2"), KubesprayTree.Open(tree.Root), _folder.Path);
        settings.ToolPath = Executable;

        new ToolHarness(_runner).PlaybookScript().Run(new FilePath(Path.Combine(tree.Root, KubesprayTree.ScriptPath)), settings);

        Assert.Equal(
            $"Lading.Tests.dll \"{tree.Root}/contrib/offline/generate_list.sh\" \"-e\" \"image_arch=arm64\" \"-e\" \"kube_version=1.31.2\"",
            Assert.Single(_runner.CommandLines));
        Assert.Equal(tree.Root, _runner.Settings[0].WorkingDirectory!.FullPath);
        // Scripts from before the ansible rewrite read the architecture from the environment instead.
        Assert.Equal("arm64", _runner.Settings[0].EnvironmentVariables["IMAGE_ARCH"]);
    }

    [Fact]
    public void Ansible_runs_with_the_system_python_first_and_its_own_home_and_config()
    {
        new ToolHarness(_runner).AnsiblePlaybook().Run(new FilePath("/srv/site.yml"), Settings());

        var env = _runner.Settings[0].EnvironmentVariables;
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
        var settings = new AnsiblePlaybookSettings { ToolPath = Executable };

        Assert.Throws<ArgumentException>(() => new ToolHarness(_runner).AnsiblePlaybook().Run(new FilePath("/srv/site.yml"), settings));
        Assert.Empty(_runner.CommandLines);
    }

    [Fact]
    public void An_extra_variable_name_ansible_would_not_take_is_refused()
    {
        var settings = Settings().WithExtraVariable("image arch", "amd64");

        Assert.Throws<ArgumentException>(() => new ToolHarness(_runner).AnsiblePlaybook().Run(new FilePath("/srv/site.yml"), settings));
        Assert.Empty(_runner.CommandLines);
    }
}
