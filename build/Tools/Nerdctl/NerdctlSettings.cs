using Cake.Core.Tooling;

namespace Lading.Tools.Nerdctl;

public sealed class NerdctlSettings : ToolSettings
{
    /// <summary>The containerd namespace (nerdctl's default is "default").</summary>
    public string? Namespace { get; set; }
}
