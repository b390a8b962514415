namespace Lading.Tests.Fixtures;

/// <summary>Image root filesystems made from this machine's programs: a binary and the libraries ldd names, for images built FROM scratch.</summary>
public static class RootFs
{
    /// <summary>Copies <paramref name="program"/> and every library it loads under <paramref name="rootfs"/>, at the same paths.</summary>
    public static void CopyWithLibraries(string program, string rootfs)
    {
        var libraries = Shell.Run("ldd", [program], timeout: TimeSpan.FromSeconds(30)).Output
            .Split('\n').SelectMany(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)).Where(w => w.StartsWith('/'));
        foreach (var file in libraries.Prepend(program))
        {
            var target = Path.Combine(rootfs, file.TrimStart('/'));
            if (!File.Exists(target))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file, target);
                File.SetUnixFileMode(target, File.GetUnixFileMode(file));
            }
        }
    }
}
