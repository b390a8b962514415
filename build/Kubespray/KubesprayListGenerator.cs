using Cake.Core.IO;
using Path = System.IO.Path;
using Lading.Tools;
using Lading.Tools.Ansible;

namespace Lading.Kubespray;

/// <summary>
/// GenerateKubesprayLists: runs the tree's own contrib/offline/generate_list.sh (which runs ansible-playbook)
/// and copies the files.list and images.list it writes, unchanged.
/// </summary>
public sealed class KubesprayListGenerator(PlaybookScriptRunner script)
{
    /// <summary>Generates the lists and writes them into <paramref name="outputFolder"/>; <paramref name="workFolder"/> holds ansible's isolated home.</summary>
    public KubesprayLists Generate(KubesprayListRequest request, string outputFolder, string workFolder)
    {
        var lists = Generate(request, workFolder);
        lists.WriteTo(outputFolder);
        return lists;
    }

    public KubesprayLists Generate(KubesprayListRequest request, string workFolder)
    {
        var tree = Run(request, workFolder);
        return new KubesprayLists(File.ReadAllBytes(tree.FilesList), File.ReadAllBytes(tree.ImagesList));
    }

    /// <summary>Runs the script and pairs each entry of the lists with the template line it was rendered from.</summary>
    public KubesprayRendering Render(KubesprayListRequest request, string workFolder)
    {
        var tree = Run(request, workFolder);
        return new KubesprayRendering(Pair(tree.FilesList), Pair(tree.ImagesList));

        static IReadOnlyList<RenderedEntry> Pair(string list)
        {
            var values = ListText.Texts(File.ReadAllText(list));
            var template = list + ".template";
            var templates = File.Exists(template) ? ListText.Texts(File.ReadAllText(template)) : [];
            // The template has one line per entry; a count that differs means the lines cannot be paired.
            return values.Select((value, i) => new RenderedEntry(value, templates.Count == values.Count ? templates[i] : null)).ToList();
        }
    }

    private KubesprayTree Run(KubesprayListRequest request, string workFolder)
    {
        var tree = KubesprayTree.Open(request.Tree);

        // Scripts from before Kubespray rendered the lists with ansible read versions straight from the YAML and ignore arguments.
        if ((request.KubeVersion is not null || request.VariableFiles.Count > 0) && !File.ReadAllText(tree.Script).Contains("ansible-playbook", StringComparison.Ordinal))
        {
            throw new KubesprayException(tree.Script, $"this Kubespray's list script does not run ansible-playbook, so it cannot generate lists for {(request.KubeVersion is null ? "a cluster config" : $"Kubernetes {request.KubeVersion}")}; leave --kube-version out to use the tree's own version.");
        }

        // Lists left by an earlier run must never pass for this run's.
        foreach (var stale in new[] { tree.FilesList, tree.ImagesList }.Where(File.Exists))
        {
            File.Delete(stale);
        }

        var settings = Settings(request, tree, workFolder);
        try
        {
            script.Run(new FilePath(tree.Script), settings);
        }
        catch (ToolException e)
        {
            throw new KubesprayException(tree.Script, $"Kubespray's offline list script failed for {request.Architecture} (exit code {e.ExitCode}):{Environment.NewLine}{e.Output.Trim()}", e);
        }

        foreach (var list in new[] { tree.FilesList, tree.ImagesList })
        {
            if (!File.Exists(list))
            {
                throw new KubesprayException(list, "Kubespray's offline list script succeeded but did not write this list.");
            }
        }

        return tree;
    }

    /// <summary>What Generate would run and write, for dry runs; nothing is checked or started.</summary>
    public static string Plan(KubesprayListRequest request, string outputFolder)
    {
        var extra = (request.KubeVersion is null ? string.Empty : $" -e kube_version={request.KubeVersion}")
            + string.Concat(request.VariableFiles.Select(f => $" -e @{f}"));
        return $"IMAGE_ARCH={request.Architecture} bash {Path.Combine(request.Tree, KubesprayTree.ScriptPath)} -e image_arch={request.Architecture}{extra}"
            + $" -> {Path.Combine(outputFolder, KubesprayLists.FilesName)}, {Path.Combine(outputFolder, KubesprayLists.ImagesName)}";
    }

    /// <summary>The script's settings: extra variables ansible-playbook receives through the script, and IMAGE_ARCH for trees whose script reads it instead.</summary>
    public static AnsiblePlaybookSettings Settings(KubesprayListRequest request, KubesprayTree tree, string workFolder)
    {
        var settings = new AnsiblePlaybookSettings
        {
            WorkingDirectory = new DirectoryPath(tree.Root),
            AnsibleHome = new DirectoryPath(Path.GetFullPath(Path.Combine(workFolder, "ansible"))),
        };
        settings.WithExtraVariable("image_arch", request.Architecture);
        if (request.KubeVersion is { } version)
        {
            settings.WithExtraVariable("kube_version", tree.KubeVersion(version));
        }

        foreach (var file in request.VariableFiles)
        {
            settings.ExtraVariableFiles.Add(Path.GetFullPath(file));
        }

        settings.EnvironmentVariables["IMAGE_ARCH"] = request.Architecture;

        // Exactly the file the script names, whatever DOWNLOAD_YML the agent's environment may hold.
        settings.EnvironmentVariables["DOWNLOAD_YML"] = tree.DownloadVariables;
        return settings;
    }
}
