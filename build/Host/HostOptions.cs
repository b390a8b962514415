using Cake.Core.Diagnostics;

namespace Cake.Frosting;

/// <summary>What the command line asks the host to do, and every --name=value handed on to the build.</summary>
internal sealed class HostOptions
{
    public string Target { get; private set; } = "Default";
    public string? WorkingDirectory { get; private set; }
    public Verbosity Verbosity { get; private set; } = Verbosity.Normal;
    public bool DryRun { get; private set; }
    public bool Tree { get; private set; }
    public bool Plan { get; private set; }
    public bool Description { get; private set; }
    public bool Exclusive { get; private set; }
    public bool ShowVersion { get; private set; }
    public bool ShowInfo { get; private set; }
    public bool ShowHelp { get; private set; }

    /// <summary>Every argument, including target and dryrun, as Cake's ICakeArguments sees them.</summary>
    public List<KeyValuePair<string, string>> Arguments { get; } = [];

    /// <summary>What the command line got wrong, every problem at once; the host refuses to run when there is any.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The host's own options and their other spellings; --dry-run is what most tools call a dry run.</summary>
    private static readonly Dictionary<string, string> OwnOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["target"] = "target", ["t"] = "target",
        ["working"] = "working", ["w"] = "working",
        ["verbosity"] = "verbosity", ["v"] = "verbosity",
        ["dryrun"] = "dryrun", ["dry-run"] = "dryrun", ["noop"] = "dryrun", ["whatif"] = "dryrun",
        ["tree"] = "tree", ["plan"] = "plan", ["description"] = "description",
        ["exclusive"] = "exclusive", ["e"] = "exclusive",
        ["version"] = "version", ["info"] = "info", ["help"] = "help", ["h"] = "help",
    };

    // Options that never take the next word as their value. --version does: --version v2.10.2 is the build's version.
    private static readonly HashSet<string> Flags = new(StringComparer.OrdinalIgnoreCase)
    {
        "dryrun", "tree", "plan", "description", "exclusive", "info", "help",
    };

    // Arguments the host itself hands on to the build (ICakeArguments), which are no build argument to check.
    private static readonly HashSet<string> HandedOn = new(StringComparer.OrdinalIgnoreCase) { "target", "verbosity", "dryrun", "exclusive" };

    /// <summary>The long names of the host's own options, for "did you mean".</summary>
    public static IEnumerable<string> OptionNames => OwnOptions.Keys.Where(k => k.Length > 1);

    public static HostOptions Parse(IReadOnlyList<string> args)
    {
        var options = new HostOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-" || arg == "--")
            {
                options.Errors.Add($"unexpected argument '{arg}': options are written --name=value or --name value.");
                continue;
            }

            var body = arg.TrimStart('-');
            string name;
            string? value = null;
            var equals = body.IndexOfAny(['=', ':']);
            if (equals > 0)
            {
                name = body[..equals];
                value = body[(equals + 1)..];
            }
            else
            {
                name = body;
            }

            var own = OwnOptions.GetValueOrDefault(name);
            if (value is null && !(own is not null && Flags.Contains(own)) && i + 1 < args.Count && !args[i + 1].StartsWith('-'))
            {
                value = args[++i];
            }

            if (own is not null)
            {
                options.Apply(own, value);
            }
            else
            {
                options.Arguments.Add(new(name, value ?? "true"));
            }
        }

        return options;
    }

    /// <summary>
    /// Renames aliased build arguments to the names the build reads, and refuses every argument the build does not know,
    /// each with the nearest known name.
    /// </summary>
    public void Check(IKnownArguments known)
    {
        for (var i = 0; i < Arguments.Count; i++)
        {
            var (name, value) = Arguments[i];
            if (HandedOn.Contains(name))
            {
                continue;
            }

            if (known.Aliases.TryGetValue(name, out var meant))
            {
                Arguments[i] = new(meant, value);
            }
            else if (!known.Names.Contains(name))
            {
                Errors.Add($"unknown option --{name}{DidYouMean.Hint(name, known.Names.Concat(OptionNames), "--")}.");
            }
        }
    }

    private void Apply(string option, string? value)
    {
        switch (option)
        {
            case "target":
                if (string.IsNullOrWhiteSpace(value))
                {
                    Errors.Add("--target needs a task name.");
                    return;
                }

                Target = value;
                Arguments.Add(new("target", value));
                return;
            case "working":
                if (string.IsNullOrWhiteSpace(value))
                {
                    Errors.Add("--working needs a folder.");
                    return;
                }

                WorkingDirectory = value;
                return;
            case "verbosity":
                if (!TryParseVerbosity(value, out var verbosity))
                {
                    Errors.Add($"--verbosity '{value}' is not one of quiet, minimal, normal, verbose, diagnostic.");
                    return;
                }

                Verbosity = verbosity;
                Arguments.Add(new("verbosity", value!));
                return;
            case "dryrun":
                DryRun = IsTrue(value);
                if (DryRun)
                {
                    Arguments.Add(new("dryrun", "true"));
                }

                return;
            case "tree":
                Tree = IsTrue(value);
                return;
            case "plan":
                Plan = IsTrue(value);
                return;
            case "description":
                Description = IsTrue(value);
                return;
            case "exclusive":
                Exclusive = IsTrue(value);
                Arguments.Add(new("exclusive", Exclusive ? "true" : "false"));
                return;
            case "version" when value is null:
                ShowVersion = true;
                return;
            case "version":
                Arguments.Add(new("version", value));
                return;
            case "info":
                ShowInfo = IsTrue(value);
                return;
            case "help":
                ShowHelp = true;
                return;
        }
    }

    private static bool IsTrue(string? value) =>
        value is null || !value.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static bool TryParseVerbosity(string? value, out Verbosity verbosity)
    {
        verbosity = (value ?? string.Empty).ToLowerInvariant() switch
        {
            "q" or "quiet" => Verbosity.Quiet,
            "m" or "minimal" => Verbosity.Minimal,
            "n" or "normal" => Verbosity.Normal,
            "v" or "verbose" => Verbosity.Verbose,
            "d" or "diagnostic" => Verbosity.Diagnostic,
            _ => (Verbosity)(-1),
        };
        return (int)verbosity >= 0;
    }

    public const string Help = """
        Usage: build.sh [--target=<task>] [options] [--name=value ...]

          -t, --target <task>      the task to run (default: Default)
          -w, --working <dir>      working folder of the build (it must exist)
          -v, --verbosity <level>  quiet, minimal, normal, verbose or diagnostic
              --dryrun             walk the graph without changing anything (also --dry-run, --noop, --whatif)
          -e, --exclusive          run the target alone, without its dependencies
              --tree               print the target's dependency tree
              --plan               print the target's task graph as a Mermaid flowchart
              --description        list the tasks with their descriptions
              --version            print the version (--version <value> is a build argument)
              --info               print version and environment information
          -h, --help               this text

        Every other --name=value (or --name value) is handed to the build as an argument.
        """;
}
