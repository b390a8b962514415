namespace Lading.Files;

public enum PlannedState
{
    /// <summary>Nothing on disk yet.</summary>
    Missing,

    /// <summary>A .part file from an earlier run will be continued.</summary>
    Partial,

    /// <summary>The file is there; it is kept if its sha256 matches, fetched again otherwise.</summary>
    Present,
}

/// <summary>One file of a <see cref="DownloadPlan"/>: where it goes and what is on disk for it now.</summary>
public sealed record PlannedDownload(FileEntry Entry, string Target, PlannedState State, long BytesOnDisk);

/// <summary>What a download run would fetch and where, without fetching anything, for --dryrun.</summary>
public sealed record DownloadPlan(string FilesFolder, IReadOnlyList<PlannedDownload> Files)
{
    public static DownloadPlan For(IEnumerable<FileEntry> entries, string filesFolder) =>
        new(filesFolder, entries.Select(entry =>
        {
            var target = FileLayout.PathUnder(filesFolder, entry.RelativePath);
            var part = target + ".part";
            return File.Exists(target) ? new PlannedDownload(entry, target, PlannedState.Present, new FileInfo(target).Length)
                : File.Exists(part) ? new PlannedDownload(entry, target, PlannedState.Partial, new FileInfo(part).Length)
                : new PlannedDownload(entry, target, PlannedState.Missing, 0);
        }).ToList());

    public override string ToString() =>
        string.Join(Environment.NewLine, Files.Select(f => $"{f.State,-8} {f.Entry.Url} -> {Path.GetRelativePath(FilesFolder, f.Target)}"));
}
