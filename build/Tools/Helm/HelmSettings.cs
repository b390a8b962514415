using Cake.Core.Tooling;

namespace Lading.Tools.Helm;

public sealed class HelmSettings : ToolSettings
{
}
