namespace Lading.Common;

/// <summary>
/// An exclusive lock on a file, held while one build works on a folder others may want at the same time (two Jenkins
/// executors in one workspace). A second build waits, saying what for; the lock dies with its process, so a killed
/// build never blocks the next one.
/// </summary>
public sealed class BuildLock : IDisposable
{
    private readonly FileStream _file;

    private BuildLock(FileStream file, string path)
    {
        _file = file;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Takes the lock at <paramref name="path"/>, waiting (and saying so once) while another process holds it.</summary>
    public static BuildLock Acquire(string path, string what, Action<string> say, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var told = false;
        while (true)
        {
            try
            {
                // FileShare.None is an flock(2) on Linux: exclusive between processes, released when the process ends.
                return new BuildLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), path);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (!told)
                {
                    say($"Another build on this machine is working on {what}; waiting until it is done ({path}).");
                    told = true;
                }

                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
