using Cake.Core.Diagnostics;

namespace Lading.Reporting;

/// <summary>
/// The log every task and the host write to: whatever a message quotes from outside passes through
/// <see cref="SafeText.Clean"/> before the console sees it. The console's own colour codes are added after this.
/// </summary>
public sealed class SafeTextLog(ICakeLog inner) : ICakeLog
{
    public Verbosity Verbosity
    {
        get => inner.Verbosity;
        set => inner.Verbosity = value;
    }

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        if (args is not { Length: > 0 })
        {
            // A message without arguments is shown as it is: it may quote input too.
            inner.Write(verbosity, level, "{0}", SafeText.Clean(format));
            return;
        }

        inner.Write(verbosity, level, format, args.Select(Safe).ToArray());
    }

    private static object Safe(object? argument) => argument switch
    {
        null => string.Empty,
        string text => SafeText.Clean(text),
        IFormattable => argument,
        _ => SafeText.Clean(argument.ToString() ?? string.Empty),
    };
}
