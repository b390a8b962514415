using Cake.Core.IO;
using Lading.Tools.Apt;

namespace Lading.OsRepos;

/// <summary>
/// The isolated apt root of one target: its own sources.list, keyrings, lists, cache and an empty dpkg status,
/// so a resolution is what a freshly installed machine needs, whatever the build machine has installed.
/// </summary>
public sealed class AptRoot
{
    private AptRoot(string path, OsTarget target)
    {
        Path = path;
        Target = target;
    }

    public string Path { get; }

    public OsTarget Target { get; }

    public string SourcesList => Combine("etc/apt/sources.list");

    public string Status => Combine("var/lib/dpkg/status");

    /// <summary>Creates (or refreshes) the root: lists downloaded earlier are kept, everything that decides the result is rewritten.</summary>
    public static AptRoot Prepare(string path, OsTarget target)
    {
        var root = new AptRoot(path, target);
        foreach (var folder in new[]
                 {
                     "etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d", "etc/apt/trusted.gpg.d", "etc/apt/keyrings",
                     "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg",
                 })
        {
            Directory.CreateDirectory(root.Combine(folder));
        }

        // Anything left in the parts folders from an earlier layout would change the resolution.
        foreach (var folder in new[] { "etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d", "etc/apt/trusted.gpg.d", "etc/apt/keyrings" })
        {
            foreach (var file in Directory.EnumerateFiles(root.Combine(folder)))
            {
                File.Delete(file);
            }
        }

        File.WriteAllText(root.Combine("etc/apt/apt.conf"), $"Dir \"{path}/\";\n");
        File.WriteAllText(root.Status, string.Empty);
        File.WriteAllText(root.SourcesList, root.RenderSources());
        return root;
    }

    /// <summary>apt-get settings confined to this root, keeping downloaded .debs in <paramref name="archives"/> when given.</summary>
    public AptGetSettings Settings(string? archives = null, string? workingDirectory = null, string? aptGet = null) => new()
    {
        ToolPath = aptGet is null ? null : new FilePath(aptGet),
        Root = new DirectoryPath(Path),
        Architecture = Target.Architecture,
        Archives = archives is null ? null : new DirectoryPath(archives),
        WorkingDirectory = workingDirectory is null ? null : new DirectoryPath(workingDirectory),
    };

    /// <summary>The packages the sources mark Essential, read from the package lists `apt-get update` fetched.</summary>
    public IReadOnlyList<OsPackage> EssentialPackages()
    {
        var essential = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var list in Directory.EnumerateFiles(Combine("var/lib/apt/lists"), "*_Packages"))
        {
            string? name = null;
            foreach (var line in File.ReadLines(list).Append(string.Empty))
            {
                if (line.Length == 0)
                {
                    name = null;
                }
                else if (line.StartsWith("Package: ", StringComparison.Ordinal))
                {
                    name = line[9..].Trim();
                }
                else if (name is not null && line.Trim() == "Essential: yes")
                {
                    essential.Add(name);
                }
            }
        }

        return essential.Select(n => new OsPackage(n, null, $"{Target}: Essential")).ToList();
    }

    private string RenderSources()
    {
        var lines = new List<string> { $"# {Target}: the only sources this resolution sees" };
        var number = 0;
        foreach (var source in Target.AptSources)
        {
            number++;
            string? keyring = null;
            if (source.SignedBy is { } key)
            {
                if (!File.Exists(key))
                {
                    throw new OsRepoException(Target.ToString(), $"the keyring {key} named by signed-by for {source.Uri} does not exist");
                }

                // apt tells armored keys from binary ones by the extension; keep it.
                keyring = Combine($"etc/apt/keyrings/source{number}{System.IO.Path.GetExtension(key)}");
                File.Copy(key, keyring, overwrite: true);
            }

            lines.Add(source.ToSourcesLine(Target.Architecture, keyring));
        }

        return string.Join('\n', lines) + "\n";
    }

    private string Combine(string relative) => System.IO.Path.Combine(Path, relative);
}
