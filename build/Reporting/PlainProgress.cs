namespace Lading.Reporting;

/// <summary>
/// Progress for logs: a line per piece of work at most every <c>interval</c> — also when it is stuck, so a CI log
/// never goes quiet — and one when it ends.
/// </summary>
public sealed class PlainProgress(Action<string> write, TimeSpan interval, TimeProvider? clock = null) : IProgressDisplay
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Action<string> _write = write;
    private readonly TimeSpan _interval = interval;
    private readonly List<Item> _active = [];

    public async Task RunAsync(string title, Func<IProgressScope, Task> work)
    {
        _write($"{title}: started");
        var started = _clock.GetTimestamp();
        using (_clock.CreateTimer(_ => Heartbeat(), null, _interval, _interval))
        {
            await work(new Scope(this));
        }

        _write($"{title}: done in {_clock.GetElapsedTime(started).TotalSeconds:0.0}s");
    }

    private void Heartbeat()
    {
        Item[] active;
        lock (_active)
        {
            active = [.. _active];
        }

        foreach (var item in active)
        {
            item.Report(force: false);
        }
    }

    private sealed class Scope(PlainProgress owner) : IProgressScope
    {
        public IProgressItem Start(string label, long total, ProgressUnit unit)
        {
            var item = new Item(owner, label, total, unit);
            lock (owner._active)
            {
                owner._active.Add(item);
            }

            return item;
        }
    }

    private sealed class Item(PlainProgress owner, string label, long total, ProgressUnit unit) : IProgressItem
    {
        private readonly object _gate = new();
        private long _done;
        private long _lastWrite = owner._clock.GetTimestamp();
        private bool _finished;

        public void Advance(long amount)
        {
            lock (_gate)
            {
                _done += amount;
            }

            Report(force: false);
        }

        /// <summary>Writes the state when the interval has passed since the last line.</summary>
        public void Report(bool force)
        {
            lock (_gate)
            {
                if (!_finished && (force || owner._clock.GetElapsedTime(_lastWrite) >= owner._interval))
                {
                    _lastWrite = owner._clock.GetTimestamp();
                    owner._write($"{label}: {Describe(_done, total, unit)}");
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (!_finished)
                {
                    _finished = true;
                    owner._write($"{label}: {Describe(_done, total, unit)} done");
                }
            }

            lock (owner._active)
            {
                owner._active.Remove(this);
            }
        }
    }

    public static string Describe(long done, long total, ProgressUnit unit)
    {
        string Amount(long n) => unit == ProgressUnit.Bytes ? Bytes(n) : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return total > 0
            ? $"{Amount(done)} of {Amount(total)} ({Math.Min(100, done * 100 / total)}%)"
            : Amount(done);
    }

    public static string Bytes(long n) => n switch
    {
        >= 1L << 30 => $"{n / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{n / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{n / (double)(1L << 10):0.0} KiB",
        _ => $"{n} B",
    };
}
