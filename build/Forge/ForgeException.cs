namespace Lading.Forge;

/// <summary>The forge refused or could not be reached: which forge, which project, and why, never the token.</summary>
public sealed class ForgeException(string forge, string project, string reason, Exception? inner = null)
    : Exception($"{forge} ({(string.IsNullOrEmpty(project) ? "no project" : project)}): {reason}", inner)
{
    public string Forge { get; } = forge;

    public string Project { get; } = project;

    public string Reason { get; } = reason;
}
