using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lading.Release;

/// <summary>
/// A YAML file of the release repo kept as its exact text, so single values can be rewritten in place
/// (located by the parser's marks) while comments, order, quoting and line endings stay byte for byte.
/// </summary>
internal sealed partial class YamlDocument
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly byte[] Utf8ByteOrderMark = [0xEF, 0xBB, 0xBF];

    private YamlDocument(string file, string text, bool byteOrderMark, YamlNode? root)
    {
        File = file;
        Text = text;
        ByteOrderMark = byteOrderMark;
        Root = root;
    }

    public string File { get; }

    public string Text { get; }

    public bool ByteOrderMark { get; }

    /// <summary>The first document's root; null for an empty file.</summary>
    public YamlNode? Root { get; }

    /// <summary>The largest release repo file read: version.yml of a thousand addons is well under a megabyte.</summary>
    public const long MaxBytes = 16L << 20;

    public static YamlDocument Read(string path)
    {
        byte[] bytes;
        try
        {
            if (new FileInfo(path).Length is var length and > MaxBytes)
            {
                throw new ReleaseException(new ReleaseProblem(path, $"is {length} bytes; a release repo file is at most {MaxBytes >> 20} MiB."));
            }

            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReleaseException(new ReleaseProblem(path, $"cannot be read: {e.Message}"));
        }

        var bom = bytes.AsSpan().StartsWith(Utf8ByteOrderMark);
        string text;
        try
        {
            text = Utf8.GetString(bom ? bytes[3..] : bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ReleaseException(new ReleaseProblem(path, "is not UTF-8 text."));
        }

        return Parse(text, path, bom);
    }

    public static YamlDocument Parse(string text, string file, bool byteOrderMark = false)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // YamlDotNet wraps the cause (a duplicate key, a bad indent) in its innermost exception.
            var inner = e;
            while (inner.InnerException is YamlException deeper)
            {
                inner = deeper;
            }

            throw new ReleaseException(new ReleaseProblem(file, (int)e.Start.Line, (int)e.Start.Column, $"is not valid YAML: {inner.Message}"));
        }

        return new YamlDocument(file, text, byteOrderMark, stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null);
    }

    public ReleaseProblem ProblemAt(YamlNode node, string message) => new(File, (int)node.Start.Line, (int)node.Start.Column, message);

    /// <summary>The text with one scalar's value replaced, written in the scalar's own quoting style.</summary>
    public string WithScalar(YamlScalarNode node, string value) =>
        string.Concat(Text.AsSpan(0, (int)node.Start.Index), ScalarReplacement(node, value), Text.AsSpan((int)node.End.Index));

    /// <summary>How <paramref name="value"/> is written in place of the scalar, in its quoting style.</summary>
    public string ScalarReplacement(YamlScalarNode node, string value)
    {
        var start = (int)node.Start.Index;
        var end = (int)node.End.Index;
        var written = node.Style switch
        {
            ScalarStyle.Plain or ScalarStyle.Any when IsSafePlain(value) => value,
            ScalarStyle.SingleQuoted => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'",
            ScalarStyle.Plain or ScalarStyle.Any or ScalarStyle.DoubleQuoted => DoubleQuoted(value),
            _ => throw new ReleaseException(ProblemAt(node, "is a block scalar (| or >); write the value on one line so it can be updated.")),
        };

        // A plain scalar spread over several lines has no single span to replace.
        if (node.Style is ScalarStyle.Plain && Text[start..end] != node.Value)
        {
            throw new ReleaseException(ProblemAt(node, "spans several lines; write the value on one line so it can be updated."));
        }

        return written;
    }

    /// <summary>The value as a plain scalar when YAML reads it back as the same string, double-quoted otherwise.</summary>
    public static string PlainOrQuoted(string value) => IsSafePlain(value) ? value : DoubleQuoted(value);

    /// <summary>Writes the text under a temporary name beside the file, then renames it into place.</summary>
    public static async Task WriteAsync(string path, string text, bool byteOrderMark, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        try
        {
            var bytes = Utf8.GetBytes(text);
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                if (byteOrderMark)
                {
                    await output.WriteAsync(Utf8ByteOrderMark, cancellationToken);
                }

                await output.WriteAsync(bytes, cancellationToken);
            }

            System.IO.File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (System.IO.File.Exists(temporary))
            {
                System.IO.File.Delete(temporary);
            }
        }
    }

    /// <summary>A scalar's text when it is a non-empty string value; null when it is missing, null or a boolean.</summary>
    public static bool IsStringValue(YamlNode node, out string value)
    {
        value = string.Empty;
        if (node is not YamlScalarNode scalar || scalar.Value is null)
        {
            return false;
        }

        if (scalar.Style is ScalarStyle.Plain && NotAString().IsMatch(scalar.Value))
        {
            return false;
        }

        value = scalar.Value;
        return value.Length > 0;
    }

    private static bool IsSafePlain(string value) => SafePlain().IsMatch(value) && !NotAString().IsMatch(value) && !Number().IsMatch(value);

    private static string DoubleQuoted(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._/+@-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafePlain();

    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|)\z", RegexOptions.CultureInvariant)]
    private static partial Regex NotAString();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?(\.[0-9_]*)?([eE][-+]?[0-9]+)?\z|^0x[0-9a-fA-F_]+\z|^0o?[0-7_]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
