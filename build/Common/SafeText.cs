using System.Text;

namespace Lading.Common;

/// <summary>
/// Text from outside (list lines, manifests, git output, servers' answers) made safe to show: control characters that
/// a terminal would obey (ESC, OSC, BEL, carriage return, C1, bidirectional overrides) are written as escapes, and what
/// is echoed is cut to a readable length, so a hostile line can neither drive the terminal nor flood the log.
/// </summary>
public static class SafeText
{
    /// <summary>How much of one piece of input a message quotes.</summary>
    public const int EchoLimit = 200;

    /// <summary>How long one line of the log or of a summary may be.</summary>
    public const int LineLimit = 2000;

    /// <summary>How long one message of the log or of a summary may be.</summary>
    public const int TextLimit = 256 * 1024;

    /// <summary>Input quoted in a message: escaped, cut to <paramref name="limit"/> characters, in single quotes.</summary>
    public static string Quote(string text, int limit = EchoLimit) => $"'{Escape(Cut(text, limit))}'";

    /// <summary>
    /// A whole message made safe for a terminal, a log or a summary: tab and newline kept, every other control escaped,
    /// each line cut at <see cref="LineLimit"/> and the whole at <see cref="TextLimit"/> characters.
    /// </summary>
    public static string Clean(string text)
    {
        if (text.Length <= LineLimit && !text.Any(IsControl))
        {
            return text;
        }

        return Cut(string.Join('\n', text.Split('\n').Select(line => Escape(Cut(line, LineLimit)))), TextLimit);
    }

    /// <summary>Every control character but tab and newline as an escape: <c>\x1B</c>, <c>\r</c>, <c>\u202E</c>.</summary>
    public static string Escape(string text)
    {
        if (!text.Any(IsControl))
        {
            return text;
        }

        var safe = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!IsControl(c))
            {
                safe.Append(c);
            }
            else if (c == '\r')
            {
                safe.Append("\\r");
            }
            else
            {
                safe.Append(c <= 0xFF ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}");
            }
        }

        return safe.ToString();
    }

    /// <summary>The text, or its first <paramref name="limit"/> characters and how many more there were.</summary>
    public static string Cut(string text, int limit)
    {
        if (text.Length <= limit)
        {
            return text;
        }

        // Never split a surrogate pair.
        var end = char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit;
        return $"{text[..end]}… ({text.Length - end} more characters)";
    }

    private static bool IsControl(char c) =>
        c is not ('\t' or '\n') && (c < 0x20 || c is >= '\u007F' and <= '\u009F')
        || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
