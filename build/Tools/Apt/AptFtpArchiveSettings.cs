using Cake.Core.Tooling;

namespace Lading.Tools.Apt;

public sealed class AptFtpArchiveSettings : ToolSettings
{
}
