using Lading.Reporting;

namespace Lading.Files;

/// <summary>
/// Shows each file of a download as one progress item, advanced as its bytes arrive. Reports are handled on the
/// thread that makes them (Progress&lt;T&gt; would post them to the thread pool, out of order).
/// </summary>
public sealed class DownloadProgress(IProgressScope scope) : IProgress<FileProgress>, IDisposable
{
    private readonly Dictionary<string, (IProgressItem Item, long Done)> _items = new(StringComparer.Ordinal);

    public void Report(FileProgress value)
    {
        lock (_items)
        {
            if (!_items.TryGetValue(value.RelativePath, out var known))
            {
                known = (scope.Start(value.RelativePath, value.BytesTotal ?? 0, ProgressUnit.Bytes), 0);
            }

            known.Item.Advance(value.BytesDone - known.Done);
            _items[value.RelativePath] = (known.Item, value.BytesDone);
        }
    }

    public void Dispose()
    {
        lock (_items)
        {
            foreach (var (item, _) in _items.Values)
            {
                item.Dispose();
            }
        }
    }
}
