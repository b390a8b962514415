using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Apt;

/// <summary>
/// apt-get confined to an isolated root: its own sources, keys, lists, cache and an empty dpkg status, so nothing
/// of the host's apt state or configuration takes part.
/// </summary>
public sealed class AptGetSettings : ToolSettings
{
    /// <summary>The isolated root (etc/apt, var/lib/apt, var/cache/apt, var/lib/dpkg under it).</summary>
    public DirectoryPath? Root { get; set; }

    /// <summary>The architecture resolved for (amd64, arm64); the only one apt considers.</summary>
    public string? Architecture { get; set; }

    /// <summary>Where downloaded .debs are kept between builds; var/cache/apt/archives under the root when null.</summary>
    public DirectoryPath? Archives { get; set; }

    /// <summary>Every `-o Name=Value` apt-get is given, in order: the isolation first, then these.</summary>
    public IList<KeyValuePair<string, string>> Options { get; } = [];

    /// <summary>The apt.conf read instead of the host's /etc/apt/apt.conf and apt.conf.d (APT_CONFIG).</summary>
    public FilePath? ConfigFile => Root?.CombineWithFilePath("etc/apt/apt.conf");

    internal IEnumerable<KeyValuePair<string, string>> AllOptions()
    {
        if (Root is { } root)
        {
            string At(string relative) => root.Combine(relative).FullPath;
            yield return new("Dir", root.FullPath + "/");
            yield return new("Dir::State", At("var/lib/apt"));
            yield return new("Dir::State::Lists", At("var/lib/apt/lists"));
            yield return new("Dir::State::status", root.CombineWithFilePath("var/lib/dpkg/status").FullPath);
            yield return new("Dir::Etc", At("etc/apt"));
            yield return new("Dir::Etc::SourceList", root.CombineWithFilePath("etc/apt/sources.list").FullPath);
            yield return new("Dir::Etc::SourceParts", At("etc/apt/sources.list.d"));
            yield return new("Dir::Etc::Parts", At("etc/apt/apt.conf.d"));
            yield return new("Dir::Etc::Preferences", root.CombineWithFilePath("etc/apt/preferences").FullPath);
            yield return new("Dir::Etc::PreferencesParts", At("etc/apt/preferences.d"));
            yield return new("Dir::Etc::Trusted", root.CombineWithFilePath("etc/apt/trusted.gpg").FullPath);
            yield return new("Dir::Etc::TrustedParts", At("etc/apt/trusted.gpg.d"));
            yield return new("Dir::Cache", At("var/cache/apt"));
            yield return new("Dir::Cache::archives", (Archives ?? root.Combine("var/cache/apt/archives")).FullPath);
            yield return new("Debug::NoLocking", "1");

            // Descriptions in other languages are not packaged; not asking for them spares the mirror a request per source.
            yield return new("Acquire::Languages", "none");

            // The root's folders belong to the build user, which apt's unprivileged download user cannot write; ignored when not root.
            yield return new("APT::Sandbox::User", "root");
        }

        if (Architecture is { } architecture)
        {
            yield return new("APT::Architecture", architecture);

            // Without it apt asks the host's dpkg for foreign architectures.
            yield return new("APT::Architectures", architecture);
        }

        foreach (var option in Options)
        {
            yield return option;
        }
    }
}
