using Cake.Core.Tooling;

namespace Lading.Tools.Skopeo;

public sealed class SkopeoSettings : ToolSettings
{
    /// <summary>
    /// Accept any image without a signature policy (<c>--insecure-policy</c>): for images Lading made or already
    /// verified by digest, on machines that may have no /etc/containers/policy.json.
    /// </summary>
    public bool InsecurePolicy { get; set; }
}
