using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lading.Release;

/// <summary>
/// Whether a file of a chart changed in what it deploys. Plain YAML files (Chart.yaml, values files; not templates/,
/// which are Go templates) are compared by their parsed content, so a re-indent that moves a key is a change and
/// re-spacing or comments are not; every other file by its text, with only trailing spaces and blank lines ignored.
/// </summary>
public static partial class ChartDiff
{
    public static bool ChangesMeaning(string path, string before, string after)
    {
        if (IsPlainYaml(path) && Canonical(before) is { } was && Canonical(after) is { } now)
        {
            return was != now;
        }

        return Text(before) != Text(after);
    }

    /// <summary>A .yaml/.yml file outside any templates/ folder: data, not a template.</summary>
    public static bool IsPlainYaml(string path)
    {
        var parts = path.Replace('\\', '/').Split('/');
        return (parts[^1].EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || parts[^1].EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
               && !parts[..^1].Contains("templates");
    }

    private static string Text(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd(' ', '\t')).Where(l => l.Length > 0));

    /// <summary>The documents as one canonical string (mapping keys sorted, scalars with their quoting kind), or null when the text is no YAML.</summary>
    private static string? Canonical(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var document in stream.Documents)
        {
            Write(document.RootNode, builder);
            builder.Append('\u001e');
        }

        return builder.ToString();
    }

    private static void Write(YamlNode node, StringBuilder builder)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                // A quoted 1 is a string where a plain 1 is a number; a plain 1.0.0 is a string as a quoted one is.
                builder.Append(KindOf(scalar)).Append(':').Append(scalar.Value?.Length ?? -1).Append(':').Append(scalar.Value);
                break;
            case YamlSequenceNode sequence:
                builder.Append('[');
                foreach (var child in sequence.Children)
                {
                    Write(child, builder);
                    builder.Append(',');
                }

                builder.Append(']');
                break;
            case YamlMappingNode mapping:
                builder.Append('{');
                foreach (var (key, value) in mapping.Children.Select(pair => (Key: Key(pair.Key), pair.Value)).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(key).Append('=');
                    Write(value, builder);
                    builder.Append(';');
                }

                builder.Append('}');
                break;
        }
    }

    /// <summary>What a scalar is read as (helm reads YAML 1.1: yes and off are booleans too): its tag, or null, bool, number or string.</summary>
    private static string KindOf(YamlScalarNode scalar)
    {
        if (!scalar.Tag.IsEmpty)
        {
            return scalar.Tag.Value;
        }

        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return "str";
        }

        var value = scalar.Value ?? string.Empty;
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => "null",
            _ when Boolean().IsMatch(value) => "bool",
            _ when Number().IsMatch(value) => "number",
            _ => "str",
        };
    }

    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex Boolean();

    [GeneratedRegex(@"^([-+]?(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex Number();

    private static string Key(YamlNode key)
    {
        var builder = new StringBuilder();
        Write(key, builder);
        return builder.ToString();
    }
}
