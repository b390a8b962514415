using System.Collections.Concurrent;

namespace Lading.Tests.Registry;

/// <summary>Collects what the client logs, from any thread, for assertions and failure messages.</summary>
public sealed class LogLines
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public void Add(string line) => _lines.Enqueue(line);

    public override string ToString() => string.Join(Environment.NewLine, _lines);
}
