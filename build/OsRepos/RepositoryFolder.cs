namespace Lading.OsRepos;

/// <summary>A target's repository folder, replaced whole or not at all.</summary>
internal static class RepositoryFolder
{
    /// <summary>Writes the repository beside its place, then swaps it in: a reader sees the old one or the new one, never half of one.</summary>
    public static void Publish(OsTarget target, string folder, Action<string> write)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(folder))!;
        Directory.CreateDirectory(parent);
        var stage = $"{folder}.partial-{Guid.NewGuid():N}";
        var old = $"{folder}.old-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(stage);
            write(stage);
            if (Directory.Exists(folder))
            {
                Directory.Move(folder, old);
            }

            try
            {
                Directory.Move(stage, folder);
            }
            catch (IOException) when (Directory.Exists(old) && !Directory.Exists(folder))
            {
                // The new one could not take its place: the old one goes back rather than being lost.
                Directory.Move(old, folder);
                throw;
            }
        }
        catch (IOException e)
        {
            throw new OsRepoException(target.ToString(), $"could not write the repository {folder}: {e.Message}");
        }
        finally
        {
            if (Directory.Exists(stage))
            {
                Directory.Delete(stage, recursive: true);
            }

            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }
        }
    }
}
