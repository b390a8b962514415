using System.Text.RegularExpressions;

namespace Lading.Kubespray;

/// <summary>What lists to generate: from which tree, for which architecture, optionally for another Kubernetes version than the tree's default and with a cluster config.</summary>
public sealed partial record KubesprayListRequest
{
    public KubesprayListRequest(string tree, string architecture, string? kubeVersion = null, IReadOnlyList<string>? variableFiles = null)
    {
        Tree = tree;
        Architecture = KubesprayArchitecture.Parse(architecture);
        if (kubeVersion is not null && !Version().IsMatch(kubeVersion))
        {
            throw new KubesprayException("--kube-version", $"'{kubeVersion}' is not a Kubernetes version (1.31.2 or v1.31.2).");
        }

        KubeVersion = kubeVersion;
        VariableFiles = variableFiles ?? [];
    }

    public string Tree { get; }

    public string Architecture { get; }

    public string? KubeVersion { get; }

    /// <summary>Files of variables the script passes on to ansible (<c>-e @file</c>): a cluster config to render the lists with.</summary>
    public IReadOnlyList<string> VariableFiles { get; }

    [GeneratedRegex(@"^v?\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$")]
    private static partial Regex Version();
}
