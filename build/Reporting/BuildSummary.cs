using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lading.Recipes;

namespace Lading.Reporting;

public sealed record TaskOutcome(string Name, string Status, double Seconds, string? Reason, IReadOnlyDictionary<string, string> Outputs);

/// <summary>What a build did, task by task: written as artifacts/summary.json and summary.md for Jenkins.</summary>
public sealed class BuildSummary
{
    private readonly object _gate = new();
    private readonly List<TaskOutcome> _tasks = [];
    private readonly Dictionary<string, Dictionary<string, string>> _outputs = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _reasons = new(StringComparer.OrdinalIgnoreCase);
    private string? _pendingSkipReason;

    public const string JsonFile = "summary.json";
    public const string MarkdownFile = "summary.md";

    public string Target { get; set; } = string.Empty;

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    /// <summary>The recipe file the run read, if any.</summary>
    public string? Recipe { get; set; }

    /// <summary>The Lading that ran, so a result can be traced to the code that produced it.</summary>
    public string? LadingVersion { get; set; }

    public bool DryRun { get; set; }

    /// <summary>Every setting with a value, and where it came from; values pass through the mask when written.</summary>
    public IReadOnlyList<SettingOrigin> Settings { get; set; } = [];

    public IReadOnlyList<TaskOutcome> Tasks
    {
        get
        {
            lock (_gate)
            {
                return [.. _tasks];
            }
        }
    }

    /// <summary>Something a task produced (a package path, a count, a table), shown in the summary.</summary>
    public void Output(string task, string name, string value)
    {
        lock (_gate)
        {
            if (!_outputs.TryGetValue(task, out var outputs))
            {
                _outputs[task] = outputs = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            outputs[name] = value;
        }
    }

    /// <summary>Why the task whose criteria is being checked will be skipped (Cake checks criteria, then skips).</summary>
    public void SkipReason(string reason)
    {
        lock (_gate)
        {
            _pendingSkipReason = reason;
        }
    }

    public void Skipped(string task)
    {
        lock (_gate)
        {
            _reasons[task] = _pendingSkipReason ?? "its criteria were not met";
            _pendingSkipReason = null;
        }
    }

    public void Finish(string task, string status, TimeSpan duration)
    {
        lock (_gate)
        {
            _tasks.Add(new TaskOutcome(
                task,
                status,
                Math.Round(duration.TotalSeconds, 3),
                _reasons.GetValueOrDefault(task),
                _outputs.TryGetValue(task, out var o) ? new Dictionary<string, string>(o) : new Dictionary<string, string>()));
        }
    }

    /// <summary>
    /// Marks the run as running in summary.json and summary.md, replacing whatever a previous run left, so a run that
    /// dies never leaves an older run's result behind.
    /// </summary>
    public void Start(string folder, Func<string, string> mask) => WriteAs(folder, "running", null, mask);

    /// <summary>Writes summary.json and summary.md under <paramref name="folder"/>, each through a temporary file.</summary>
    public void Write(string folder, bool succeeded, string? error, Func<string, string> mask) =>
        WriteAs(folder, succeeded ? "succeeded" : "failed", error, mask);

    private void WriteAs(string folder, string result, string? error, Func<string, string> mask)
    {
        Directory.CreateDirectory(folder);
        var document = new
        {
            target = Target,
            result,
            error = error is null ? null : mask(error),
            dryRun = DryRun,
            recipe = Recipe,
            lading = LadingVersion,
            started = Started,
            seconds = Math.Round((DateTimeOffset.UtcNow - Started).TotalSeconds, 3),
            settings = Settings.Select(s => new { key = s.Key, value = mask(s.Value), from = s.From }),
            tasks = Tasks.Select(t => new
            {
                name = t.Name,
                status = t.Status,
                seconds = t.Seconds,
                reason = t.Reason is null ? null : mask(t.Reason),
                outputs = t.Outputs.ToDictionary(kv => kv.Key, kv => mask(kv.Value)),
            }),
        };
        var json = JsonSerializer.Serialize(document, new JsonSerializerOptions
        {
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,

            // Read by people and Jenkins, never embedded in HTML: quotes and < > stay as they are.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        WriteAtomically(Path.Combine(folder, JsonFile), json + "\n");
        WriteAtomically(Path.Combine(folder, MarkdownFile), mask(Markdown(result, error)));
    }

    private string Markdown(string result, string? error)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {Target}: {result}{(DryRun ? " (dry run)" : string.Empty)}");
        text.AppendLine();
        var about = new[] { Recipe is null ? null : $"recipe {Recipe}", LadingVersion is null ? null : $"Lading {LadingVersion}", $"started {Started:yyyy-MM-dd HH:mm:ss} UTC" }.OfType<string>();
        text.AppendLine(string.Join(", ", about));
        text.AppendLine();
        if (error is not null)
        {
            text.AppendLine($"> {error.ReplaceLineEndings(Environment.NewLine + "> ")}");
            text.AppendLine();
        }

        text.AppendLine("| task | status | seconds | notes |");
        text.AppendLine("|---|---|---:|---|");
        foreach (var task in Tasks)
        {
            var notes = string.Join("<br>", new[] { task.Reason }.OfType<string>().Concat(task.Outputs.Select(kv => $"{kv.Key}: {kv.Value}")));
            text.AppendLine($"| {task.Name} | {task.Status} | {task.Seconds:0.###} | {notes.Replace("|", "\\|").ReplaceLineEndings("<br>")} |");
        }

        if (Settings.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("<details><summary>settings</summary>");
            text.AppendLine();
            text.AppendLine("| setting | value | from |");
            text.AppendLine("|---|---|---|");
            foreach (var setting in Settings)
            {
                text.AppendLine($"| {setting.Key} | {setting.Value.Replace("|", "\\|")} | {setting.From} |");
            }

            text.AppendLine();
            text.AppendLine("</details>");
        }

        return text.ToString();
    }

    private static void WriteAtomically(string path, string content)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
