using System.Text;

namespace Lading.Kubespray;

/// <summary>The two lists Kubespray's offline script writes, kept byte for byte.</summary>
public sealed record KubesprayLists(byte[] Files, byte[] Images)
{
    public const string FilesName = "files.list";

    public const string ImagesName = "images.list";

    public string FilesText => Encoding.UTF8.GetString(Files);

    public string ImagesText => Encoding.UTF8.GetString(Images);

    public static KubesprayLists Empty { get; } = new([], []);

    public static KubesprayLists FromText(string files, string images) => new(Encoding.UTF8.GetBytes(files), Encoding.UTF8.GetBytes(images));

    /// <summary>The message of the tag that marks these lists as reviewed.</summary>
    public string TagMessage(string version) =>
        $"Kubespray lists {version}\n\n{FilesName}: {ListText.Texts(FilesText).Count} file(s)\n{ImagesName}: {ListText.Texts(ImagesText).Count} image(s)\n";

    /// <summary>Reads the lists in a folder; a list that is missing reads as empty (nothing committed yet).</summary>
    public static KubesprayLists ReadFrom(string folder) =>
        new(ReadOrEmpty(Path.Combine(folder, FilesName)), ReadOrEmpty(Path.Combine(folder, ImagesName)));

    /// <summary>Writes both lists into the folder, each through a temporary file renamed over the old one.</summary>
    public void WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        WriteAtomically(Path.Combine(folder, FilesName), Files);
        WriteAtomically(Path.Combine(folder, ImagesName), Images);
    }

    internal static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static byte[] ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllBytes(path) : [];
}

/// <summary>One entry of a list Kubespray's script rendered, with its template line (null when the lines could not be paired).</summary>
public sealed record RenderedEntry(string Value, string? Template);

/// <summary>The lists of one run of Kubespray's script, each entry with the template line it came from.</summary>
public sealed record KubesprayRendering(IReadOnlyList<RenderedEntry> Files, IReadOnlyList<RenderedEntry> Images);
