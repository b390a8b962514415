namespace Lading.Tests.Fixtures;

/// <summary>Sets file times explicitly, so a test sees other times without waiting for the clock to move.</summary>
public static class FileTimes
{
    /// <summary>Gives every file and folder under <paramref name="folder"/> one modification time, as another checkout would.</summary>
    public static void Set(string folder, DateTime utc)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, utc);
        }

        foreach (var directory in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories))
        {
            Directory.SetLastWriteTimeUtc(directory, utc);
        }
    }
}
