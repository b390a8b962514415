using Cake.Core;
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

    private static readonly HashSet<string> Flags = new(StringComparer.OrdinalIgnoreCase)
    {
        "dryrun", "noop", "whatif", "tree", "plan", "description", "exclusive", "e",
        "version", "info", "help", "h",
    };

    public static HostOptions Parse(IReadOnlyList<string> args)
    {
        var options = new HostOptions();
        var errors = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-" || arg == "--")
            {
                errors.Add($"Unexpected argument '{arg}': options are written --name=value.");
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

            if (value is null && !Flags.Contains(name) && i + 1 < args.Count && !args[i + 1].StartsWith('-'))
            {
                value = args[++i];
            }

            options.Apply(name, value, errors);
        }

        if (errors.Count > 0)
        {
            throw new CakeException(string.Join(Environment.NewLine, errors));
        }

        return options;
    }

    private void Apply(string name, string? value, List<string> errors)
    {
        switch (name.ToLowerInvariant())
        {
            case "target":
            case "t":
                if (string.IsNullOrWhiteSpace(value))
                {
                    errors.Add("--target needs a task name.");
                    return;
                }

                Target = value;
                Arguments.Add(new("target", value));
                return;
            case "working":
            case "w":
                WorkingDirectory = value ?? throw new CakeException("--working needs a folder.");
                return;
            case "verbosity":
            case "v":
                if (!TryParseVerbosity(value, out var verbosity))
                {
                    errors.Add($"--verbosity '{value}' is not one of quiet, minimal, normal, verbose, diagnostic.");
                    return;
                }

                Verbosity = verbosity;
                Arguments.Add(new("verbosity", value!));
                return;
            case "dryrun":
            case "noop":
            case "whatif":
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
            case "e":
                Exclusive = IsTrue(value);
                Arguments.Add(new("exclusive", Exclusive ? "true" : "false"));
                return;
            case "version" when value is null:
                ShowVersion = true;
                return;
            case "info":
                ShowInfo = IsTrue(value);
                return;
            case "help":
            case "h":
                ShowHelp = true;
                return;
            default:
                Arguments.Add(new(name, value ?? "true"));
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
          -w, --working <dir>      working folder of the build
          -v, --verbosity <level>  quiet, minimal, normal, verbose or diagnostic
              --dryrun             walk the graph without running any task (also --noop, --whatif)
          -e, --exclusive          run the target alone, without its dependencies
              --tree               print the target's dependency tree
              --plan               print the target's task graph as a Mermaid flowchart
              --description        list the tasks with their descriptions
              --version            print the version
              --info               print version and environment information
          -h, --help               this text

        Every other --name=value is handed to the build as an argument.
        """;
}
