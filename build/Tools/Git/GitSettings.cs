using Cake.Core.Tooling;

namespace Lading.Tools.Git;

public sealed class GitSettings : ToolSettings
{
    public GitSettings()
    {
        // A job must fail, not wait for a password nobody will type.
        EnvironmentVariables["GIT_TERMINAL_PROMPT"] = "0";
    }
}
