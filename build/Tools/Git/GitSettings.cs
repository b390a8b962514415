using Cake.Core.Tooling;

namespace Lading.Tools.Git;

public sealed class GitSettings : ToolSettings
{
    public GitSettings()
    {
        // A job must fail, not wait for a password nobody will type.
        EnvironmentVariables["GIT_TERMINAL_PROMPT"] = "0";

        // git's messages in English whatever the agent's language: Lading reads some (a ref the server lacks).
        EnvironmentVariables["LC_ALL"] = "C.UTF-8";
        EnvironmentVariables["LANGUAGE"] = string.Empty;
    }
}
