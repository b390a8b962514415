using Cake.Core;

namespace Lading.Reporting;

/// <summary>A console without colours: Cake would send ANSI codes into a redirected log whenever TERM names a terminal.</summary>
public sealed class PlainConsole(IConsole inner) : IConsole
{
    public static IConsole WhenRedirected(IConsole console) => Console.IsOutputRedirected ? new PlainConsole(console) : console;

    public ConsoleColor ForegroundColor { get; set; }

    public ConsoleColor BackgroundColor { get; set; }

    public bool SupportAnsiEscapeCodes => false;

    public void Write(string format, params object[] arg) => inner.Write(format, arg);

    public void WriteLine(string format, params object[] arg) => inner.WriteLine(format, arg);

    public void WriteError(string format, params object[] arg) => inner.WriteError(format, arg);

    public void WriteErrorLine(string format, params object[] arg) => inner.WriteErrorLine(format, arg);

    public void ResetColor()
    {
    }
}
