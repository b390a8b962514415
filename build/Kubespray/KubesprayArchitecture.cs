namespace Lading.Kubespray;

/// <summary>The CPU architectures Kubespray lists are generated for, spelled as Kubespray's image_arch spells them.</summary>
public static class KubesprayArchitecture
{
    public const string Amd64 = "amd64";

    public const string Arm64 = "arm64";

    public static IReadOnlyList<string> All { get; } = [Amd64, Arm64];

    public static string Parse(string? text, string place = "--arch")
    {
        var value = (text ?? string.Empty).Trim().ToLowerInvariant();
        return value switch
        {
            Amd64 or "x86_64" => Amd64,
            Arm64 or "aarch64" => Arm64,
            _ => throw new KubesprayException(place, $"'{text}' is not an architecture Kubespray lists are made for; use amd64 or arm64."),
        };
    }
}
