namespace Lading.Reporting;

/// <summary>One piece of long work (an image, a download): advanced as bytes or items are done.</summary>
public interface IProgressItem : IDisposable
{
    void Advance(long amount);
}

/// <summary>
/// How long work is shown: bars on a terminal, a plain line every few seconds elsewhere (Jenkins).
/// </summary>
public interface IProgressDisplay
{
    Task RunAsync(string title, Func<IProgressScope, Task> work);
}

public interface IProgressScope
{
    IProgressItem Start(string label, long total, ProgressUnit unit);
}

public enum ProgressUnit
{
    Items,
    Bytes,
}
