using System.Runtime.InteropServices;

namespace Lading.Files;

/// <summary>Hard links where the platform has them (.NET has no File.CreateHardLink), copies otherwise.</summary>
internal static partial class HardLink
{
    /// <summary>Makes <paramref name="link"/> (which must not exist) hold the same bytes as <paramref name="existing"/>.</summary>
    public static void LinkOrCopy(string existing, string link)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            try
            {
                if (Link(existing, link) == 0)
                {
                    return;
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
            }
        }

        // Across file systems (EXDEV) or without link(): a copy holds the same bytes.
        File.Copy(existing, link, overwrite: false);
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string link);
}
