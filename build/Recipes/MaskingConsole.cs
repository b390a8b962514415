using Cake.Core;

namespace Lading.Recipes;

/// <summary>The console every log line goes through: secrets are replaced before anything is written.</summary>
public sealed class MaskingConsole(IConsole inner, SecretMask mask) : IConsole
{
    public ConsoleColor ForegroundColor { get => inner.ForegroundColor; set => inner.ForegroundColor = value; }

    public ConsoleColor BackgroundColor { get => inner.BackgroundColor; set => inner.BackgroundColor = value; }

    public bool SupportAnsiEscapeCodes => inner.SupportAnsiEscapeCodes;

    public void Write(string format, params object[] arg) => inner.Write("{0}", mask.Apply(Format(format, arg)));

    public void WriteLine(string format, params object[] arg) => inner.WriteLine("{0}", mask.Apply(Format(format, arg)));

    public void WriteError(string format, params object[] arg) => inner.WriteError("{0}", mask.Apply(Format(format, arg)));

    public void WriteErrorLine(string format, params object[] arg) => inner.WriteErrorLine("{0}", mask.Apply(Format(format, arg)));

    public void ResetColor() => inner.ResetColor();

    private static string Format(string format, object[] arg) => arg is { Length: > 0 } ? string.Format(format, arg) : format;
}
