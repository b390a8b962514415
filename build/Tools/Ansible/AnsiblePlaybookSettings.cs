using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Ansible;

/// <summary>
/// How ansible-playbook runs: extra variables, and an isolated home so it reads no user ansible.cfg,
/// no user collections and no user site-packages.
/// </summary>
public class AnsiblePlaybookSettings : ToolSettings
{
    /// <summary>Extra variables, passed as <c>-e name=value</c> in this order.</summary>
    public IList<KeyValuePair<string, string>> ExtraVariables { get; } = [];

    /// <summary>Files of extra variables, passed as <c>-e @file</c> after <see cref="ExtraVariables"/>, in this order.</summary>
    public IList<string> ExtraVariableFiles { get; } = [];

    /// <summary>An inventory (file or comma-separated hosts); none means ansible's implicit localhost, which connects locally.</summary>
    public string? Inventory { get; set; }

    public string? Connection { get; set; }

    /// <summary>The folder of the python that runs ansible; it goes first on PATH because a pyenv shim may shadow the system python.</summary>
    public DirectoryPath PythonDirectory { get; set; } = new("/usr/bin");

    /// <summary>Ansible's home (ANSIBLE_HOME), its temp folders and its config file; required so nothing of the user's is read.</summary>
    public DirectoryPath? AnsibleHome { get; set; }

    public AnsiblePlaybookSettings WithExtraVariable(string name, string value)
    {
        ExtraVariables.Add(new(name, value));
        return this;
    }
}
