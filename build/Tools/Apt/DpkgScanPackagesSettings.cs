using Cake.Core.Tooling;

namespace Lading.Tools.Apt;

public sealed class DpkgScanPackagesSettings : ToolSettings
{
    /// <summary>Index only this architecture (and 'all').</summary>
    public string? Architecture { get; set; }
}
