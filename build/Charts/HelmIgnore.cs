using System.Text;
using System.Text.RegularExpressions;

namespace Lading.Charts;

/// <summary>
/// The rules of a chart's .helmignore, with helm 3's semantics (not git's): each line is a Go filepath.Match
/// glob; without a slash it matches the base name, with a slash the whole path, a leading slash anchors it to the
/// chart root, a trailing slash matches folders only, <c>**</c> is refused, and a <c>!</c> rule ignores every path
/// it does NOT match. Helm always adds <c>templates/.?*</c> at the end.
/// </summary>
public sealed class HelmIgnore
{
    public const string FileName = ".helmignore";

    private const string DefaultRule = "templates/.?*";

    private readonly List<Rule> _rules;

    private HelmIgnore(List<Rule> rules) => _rules = rules;

    /// <summary>The rules of the chart in <paramref name="chartFolder"/>: its .helmignore if any, then helm's default.</summary>
    public static HelmIgnore Load(string chartFolder)
    {
        var path = Path.Combine(chartFolder, FileName);
        return Parse(File.Exists(path) ? File.ReadAllText(path) : string.Empty, path);
    }

    /// <summary>Parses .helmignore text; every bad line is reported at once with its line number.</summary>
    public static HelmIgnore Parse(string text, string file)
    {
        var rules = new List<Rule>();
        var problems = new List<ChartProblem>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            try
            {
                rules.Add(Rule.Parse(line));
            }
            catch (FormatException e)
            {
                problems.Add(new ChartProblem(file, i + 1, lines[i].IndexOf(line, StringComparison.Ordinal) + 1, e.Message));
            }
        }

        if (problems.Count > 0)
        {
            throw new ChartException(problems);
        }

        rules.Add(Rule.Parse(DefaultRule));
        return new HelmIgnore(rules);
    }

    /// <summary>Whether helm leaves <paramref name="relativePath"/> (slash-separated, relative to the chart root) out of the package.</summary>
    public bool Ignores(string relativePath, bool isDirectory)
    {
        if (relativePath is "" or "." or "./")
        {
            return false;
        }

        foreach (var rule in _rules)
        {
            // Helm's negated rules are inverted filters, not exceptions: whatever they do not match is ignored.
            if (rule.Negate)
            {
                if (rule.MustBeDirectory && !isDirectory)
                {
                    return true;
                }

                if (!rule.Matches(relativePath))
                {
                    return true;
                }

                continue;
            }

            if (rule.MustBeDirectory && !isDirectory)
            {
                continue;
            }

            if (rule.Matches(relativePath))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Rule
    {
        private readonly Regex _glob;
        private readonly bool _baseNameOnly;

        private Rule(Regex glob, bool negate, bool mustBeDirectory, bool baseNameOnly)
        {
            _glob = glob;
            Negate = negate;
            MustBeDirectory = mustBeDirectory;
            _baseNameOnly = baseNameOnly;
        }

        public bool Negate { get; }

        public bool MustBeDirectory { get; }

        public static Rule Parse(string line)
        {
            if (line.Contains("**", StringComparison.Ordinal))
            {
                throw new FormatException($"'{line}': helm does not support '**' in .helmignore; list the folders or use a single '*'.");
            }

            // Helm validates the whole line, '!' and trailing '/' included, as a glob before reading them.
            GlobToRegex(line, line);
            var rule = line;
            var negate = rule.StartsWith('!');
            if (negate)
            {
                rule = rule[1..];
            }

            var mustBeDirectory = rule.EndsWith('/');
            if (mustBeDirectory)
            {
                rule = rule.TrimEnd('/');
            }

            var anchored = rule.StartsWith('/');
            if (anchored)
            {
                rule = rule.TrimStart('/');
            }

            return new Rule(GlobToRegex(rule, line), negate, mustBeDirectory, baseNameOnly: !anchored && !rule.Contains('/'));
        }

        public bool Matches(string relativePath)
        {
            var name = _baseNameOnly ? relativePath[(relativePath.LastIndexOf('/') + 1)..] : relativePath;
            return _glob.IsMatch(name);
        }

        /// <summary>Translates a Go filepath.Match pattern; malformed patterns are refused as Go refuses them.</summary>
        private static Regex GlobToRegex(string glob, string line)
        {
            var regex = new StringBuilder("^");
            for (var i = 0; i < glob.Length; i++)
            {
                var c = glob[i];
                switch (c)
                {
                    case '*':
                        regex.Append("[^/]*");
                        break;
                    case '?':
                        regex.Append("[^/]");
                        break;
                    case '\\':
                        if (++i >= glob.Length)
                        {
                            throw Bad(line, "ends with a lone '\\'");
                        }

                        regex.Append(Literal(glob[i]));
                        break;
                    case '[':
                        i = AppendClass(glob, i + 1, regex, line);
                        break;
                    default:
                        regex.Append(Literal(c));
                        break;
                }
            }

            return new Regex(regex.Append(@"\z").ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }

        /// <summary>Appends a character class starting after '['; returns the index of its closing ']'.</summary>
        private static int AppendClass(string glob, int i, StringBuilder regex, string line)
        {
            var negated = i < glob.Length && glob[i] == '^';
            if (negated)
            {
                i++;
            }

            var ranges = new List<(char Lo, char Hi)>();
            var first = true;
            while (true)
            {
                if (i >= glob.Length)
                {
                    throw Bad(line, "has a '[' without its ']'");
                }

                if (glob[i] == ']' && !first)
                {
                    break;
                }

                var lo = ClassChar(glob, ref i, line);
                var hi = lo;
                if (i < glob.Length && glob[i] == '-')
                {
                    i++;
                    hi = ClassChar(glob, ref i, line);
                }

                ranges.Add((lo, hi));
                first = false;
            }

            // Go accepts a reversed range and simply never matches it; .NET would refuse it.
            var usable = ranges.Where(r => r.Lo <= r.Hi).ToList();
            if (usable.Count == 0)
            {
                regex.Append(negated ? "." : "(?!)");
                return i;
            }

            regex.Append('[').Append(negated ? "^" : string.Empty);
            foreach (var (lo, hi) in usable)
            {
                regex.Append(Escaped(lo));
                if (hi != lo)
                {
                    regex.Append('-').Append(Escaped(hi));
                }
            }

            regex.Append(']');
            return i;
        }

        private static char ClassChar(string glob, ref int i, string line)
        {
            if (i >= glob.Length)
            {
                throw Bad(line, "has a '[' without its ']'");
            }

            var c = glob[i];
            if (c is '-' or ']')
            {
                throw Bad(line, $"has a misplaced '{c}' in a [...] class");
            }

            if (c == '\\')
            {
                if (++i >= glob.Length)
                {
                    throw Bad(line, "ends with a lone '\\'");
                }

                c = glob[i];
            }

            i++;
            return c;
        }

        private static string Literal(char c) => Regex.Escape(c.ToString());

        private static string Escaped(char c) => $"\\u{(int)c:x4}";

        private static FormatException Bad(string line, string why) => new($"'{line}' is not a valid .helmignore pattern: it {why}.");
    }
}
