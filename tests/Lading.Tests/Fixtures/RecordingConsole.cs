using System.Text;
using Cake.Core;
using Spectre.Console;

namespace Lading.Tests.Fixtures;

/// <summary>Captures everything a host writes: Cake's console, Spectre's console, errors included.</summary>
public sealed class RecordingConsole : IConsole
{
    private readonly StringBuilder _text = new();
    private readonly StringWriter _ansiWriter = new();

    public RecordingConsole()
    {
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_ansiWriter),
        });
        Ansi.Profile.Width = 200;
    }

    public IAnsiConsole Ansi { get; }

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text + _ansiWriter.ToString();
            }
        }
    }

    public ConsoleColor ForegroundColor { get; set; }

    public ConsoleColor BackgroundColor { get; set; }

    public bool SupportAnsiEscapeCodes => false;

    public void Write(string format, params object[] arg) => Append(format, arg, newLine: false);

    public void WriteLine(string format, params object[] arg) => Append(format, arg, newLine: true);

    public void WriteError(string format, params object[] arg) => Append(format, arg, newLine: false);

    public void WriteErrorLine(string format, params object[] arg) => Append(format, arg, newLine: true);

    public void ResetColor()
    {
    }

    private void Append(string format, object[] arg, bool newLine)
    {
        lock (_text)
        {
            _text.Append(arg is { Length: > 0 } ? string.Format(format, arg) : format);
            if (newLine)
            {
                _text.Append('\n');
            }
        }
    }
}
