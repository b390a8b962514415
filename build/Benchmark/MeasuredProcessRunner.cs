using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Cake.Core;
using Cake.Core.IO;

namespace Lading.Benchmark;

/// <summary>What one measured piece of work cost, as the kernel counted it for the processes it started.</summary>
public sealed record ProcessCost(double Seconds, double CpuSeconds, long PeakRssBytes, int Processes);

/// <summary>
/// Starts the processes of Cake tools (skopeo, Lading's own host) and measures them from the outside: wall time,
/// CPU time (user and system, of the processes and everything they waited for) and peak resident memory, read from
/// <c>/proc/&lt;pid&gt;/status</c> (VmHWM) while each process runs. Work inside <see cref="Measure"/> is counted.
/// </summary>
public sealed partial class MeasuredProcessRunner(ICakeEnvironment environment) : IProcessRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private Window? _window;

    /// <summary>Runs <paramref name="work"/> and returns what the processes it started cost.</summary>
    public ProcessCost Measure(Action work)
    {
        var window = new Window();
        _window = window;
        var cpu = ChildrenCpuSeconds();
        var watch = Stopwatch.StartNew();
        try
        {
            work();
        }
        finally
        {
            _window = null;
        }

        var seconds = watch.Elapsed.TotalSeconds;
        return new ProcessCost(seconds, ChildrenCpuSeconds() - cpu, window.PeakRssBytes, window.Processes);
    }

    public IProcess Start(FilePath filePath, ProcessSettings settings)
    {
        var start = new ProcessStartInfo(filePath.FullPath, settings.Arguments?.Render() ?? string.Empty)
        {
            UseShellExecute = false,
            RedirectStandardOutput = settings.RedirectStandardOutput,
            RedirectStandardError = settings.RedirectStandardError,
            WorkingDirectory = (settings.WorkingDirectory?.MakeAbsolute(environment) ?? environment.WorkingDirectory).FullPath,
        };
        foreach (var (name, value) in settings.EnvironmentVariables ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new MeasuredProcess(Process.Start(start) ?? throw new BenchmarkException($"Could not start {filePath.FullPath}."), settings);
        var window = _window;
        if (window is not null)
        {
            window.Add(process.Watch(PollInterval, window.SeePeak));
        }

        return process;
    }

    /// <summary>User and system seconds of every child this process has waited for, and of theirs.</summary>
    public static double ChildrenCpuSeconds()
    {
        var usage = new RUsage();
        if (GetRUsage(RUsageChildren, ref usage) != 0)
        {
            return 0;
        }

        return usage.UserSeconds + (usage.UserMicroseconds / 1e6) + usage.SystemSeconds + (usage.SystemMicroseconds / 1e6);
    }

    /// <summary>The high-water mark of a live process's resident memory, in bytes; null once it has exited.</summary>
    public static long? PeakRssOf(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    private const int RUsageChildren = -1;

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRUsage(int who, ref RUsage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinorFaults;
        public long MajorFaults;
        public long Swaps;
        public long BlocksIn;
        public long BlocksOut;
        public long MessagesSent;
        public long MessagesReceived;
        public long Signals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }

    private sealed class Window
    {
        private readonly List<Task> _watchers = [];
        private long _peak;
        private int _processes;

        public long PeakRssBytes
        {
            get
            {
                Task[] watchers;
                lock (_watchers)
                {
                    watchers = [.. _watchers];
                }

                Task.WaitAll(watchers);
                return Interlocked.Read(ref _peak);
            }
        }

        public int Processes => Volatile.Read(ref _processes);

        public void Add(Task watcher)
        {
            Interlocked.Increment(ref _processes);
            lock (_watchers)
            {
                _watchers.Add(watcher);
            }
        }

        public void SeePeak(long bytes)
        {
            long seen;
            while (bytes > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, bytes, seen) != seen)
            {
            }
        }
    }

    private sealed class MeasuredProcess : IProcess
    {
        private readonly Process _process;
        private readonly List<string> _output = [];
        private readonly List<string> _errors = [];
        private readonly Task _reading;

        public MeasuredProcess(Process process, ProcessSettings settings)
        {
            _process = process;
            var readers = new List<Task>();
            if (settings.RedirectStandardOutput)
            {
                readers.Add(ReadAsync(process.StandardOutput, _output, settings.RedirectedStandardOutputHandler));
            }

            if (settings.RedirectStandardError)
            {
                readers.Add(ReadAsync(process.StandardError, _errors, settings.RedirectedStandardErrorHandler));
            }

            _reading = Task.WhenAll(readers);
        }

        /// <summary>Reads the peak resident memory of the process until it exits.</summary>
        /// <summary>
        /// Polls the process's peak memory until it exits, on a thread of its own: on a busy thread pool a queued poll
        /// could first run after a short process is gone, and see nothing.
        /// </summary>
        public Task Watch(TimeSpan interval, Action<long> seen)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    while (!_process.HasExited)
                    {
                        if (PeakRssOf(_process.Id) is { } peak)
                        {
                            seen(peak);
                        }

                        Thread.Sleep(interval);
                    }

                    done.SetResult();
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            })
            {
                IsBackground = true,
                Name = "peak memory of " + _process.Id,
            };
            thread.Start();
            return done.Task;
        }

        public void WaitForExit()
        {
            _process.WaitForExit();
            _reading.Wait();
        }

        public bool WaitForExit(int milliseconds)
        {
            if (!_process.WaitForExit(milliseconds))
            {
                return false;
            }

            _reading.Wait();
            return true;
        }

        public int GetExitCode() => _process.ExitCode;

        public IEnumerable<string> GetStandardError() => _errors;

        public IEnumerable<string> GetStandardOutput() => _output;

        public void Kill() => _process.Kill(entireProcessTree: true);

        public void Dispose() => _process.Dispose();

        private static async Task ReadAsync(StreamReader reader, List<string> lines, Func<string, string>? handler)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lines.Add(handler is null ? line : handler(line));
            }
        }
    }
}
