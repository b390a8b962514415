using System.Text.RegularExpressions;
using Cake.Core.IO;

namespace Lading.Tools.Ansible;

/// <summary>The environment ansible runs in: the system python first, an isolated home, a fixed config, no colour, no prompts.</summary>
public static partial class AnsibleEnvironment
{
    public const string ConfigFileName = "ansible.cfg";

    /// <summary>Fills the settings' environment; writes an empty ansible.cfg into the home so the user's and the tree's are never read.</summary>
    public static void Apply(AnsiblePlaybookSettings settings, string? inheritedPath)
    {
        var home = settings.AnsibleHome
            ?? throw new ArgumentException("ansible needs its own home folder (AnsibleHome) so it never reads the user's configuration.", nameof(settings));
        var config = home.CombineWithFilePath(ConfigFileName);
        Directory.CreateDirectory(home.Combine("tmp").FullPath);
        if (!File.Exists(config.FullPath))
        {
            File.WriteAllText(config.FullPath, "[defaults]\n");
        }

        var python = settings.PythonDirectory.FullPath;
        var rest = (inheritedPath ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Where(dir => dir != python);
        var env = settings.EnvironmentVariables;
        env["PATH"] = string.Join(':', new[] { python }.Concat(rest));
        env["ANSIBLE_CONFIG"] = config.FullPath;
        env["ANSIBLE_HOME"] = home.FullPath;
        env["ANSIBLE_LOCAL_TEMP"] = home.Combine("tmp").FullPath;
        env["ANSIBLE_REMOTE_TEMP"] = home.Combine("tmp").FullPath;
        env["ANSIBLE_PYTHON_INTERPRETER"] = settings.PythonDirectory.CombineWithFilePath("python3").FullPath;
        env["ANSIBLE_NOCOLOR"] = "1";
        env["ANSIBLE_RETRY_FILES_ENABLED"] = "False";
        env["ANSIBLE_LOCALHOST_WARNING"] = "False";
        env["ANSIBLE_INVENTORY_UNPARSED_WARNING"] = "False";
        env["ANSIBLE_HOST_KEY_CHECKING"] = "False";
        // Packages a user installed with pip --user must not change what the system ansible imports.
        env["PYTHONNOUSERSITE"] = "1";
    }

    /// <summary>The ansible-playbook options for the settings, in a fixed order.</summary>
    public static IEnumerable<string> PlaybookOptions(AnsiblePlaybookSettings settings)
    {
        if (settings.Inventory is { } inventory)
        {
            yield return "-i";
            yield return inventory;
        }

        if (settings.Connection is { } connection)
        {
            yield return "-c";
            yield return connection;
        }

        foreach (var (name, value) in settings.ExtraVariables)
        {
            if (!VariableName().IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not an ansible variable name.", nameof(settings));
            }

            yield return "-e";
            yield return $"{name}={value}";
        }

        foreach (var file in settings.ExtraVariableFiles)
        {
            yield return "-e";
            yield return "@" + file;
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
