using System.Runtime.Versioning;

namespace Lading.Tests.Fixtures;

/// <summary>Folders of test input copied whole, each file's mode kept (scripts stay executable).</summary>
[SupportedOSPlatform("linux")]
public static class Trees
{
    public static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }
}
