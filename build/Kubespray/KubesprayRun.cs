using Lading.Tools.Nerdctl;

namespace Lading.Kubespray;

/// <summary>How the Kubespray image is run against a site's inventory: the same command Lading runs and install.sh prints.</summary>
public static class KubesprayRun
{
    public const string InventoryInContainer = "/inventory";

    public const string SshKeyInContainer = "/root/.ssh/id_rsa";

    /// <summary>A playbook run; the inventory is writable because Kubespray writes artifacts and credentials beside it.</summary>
    public static NerdctlRun Playbook(string image, string inventoryFolder, string sshKey, string playbook = "cluster.yml", string inventoryFile = "hosts.yaml", IEnumerable<string>? extraArguments = null) =>
        new(image)
        {
            Name = "kubespray",
            Volumes =
            [
                new NerdctlVolume(inventoryFolder, InventoryInContainer),
                new NerdctlVolume(sshKey, SshKeyInContainer, ReadOnly: true),
            ],
            Arguments =
            [
                "-i", $"{InventoryInContainer}/{inventoryFile}",
                "--private-key", SshKeyInContainer,
                "--become",
                .. extraArguments ?? [],
                playbook,
            ],
        };
}
