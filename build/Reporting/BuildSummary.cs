using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

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

    public string Target { get; set; } = string.Empty;

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

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

    /// <summary>Writes summary.json and summary.md under <paramref name="folder"/>, each through a temporary file.</summary>
    public void Write(string folder, bool succeeded, string? error, Func<string, string> mask)
    {
        Directory.CreateDirectory(folder);
        var document = new
        {
            target = Target,
            result = succeeded ? "succeeded" : "failed",
            error = error is null ? null : mask(error),
            started = Started,
            seconds = Math.Round((DateTimeOffset.UtcNow - Started).TotalSeconds, 3),
            tasks = Tasks.Select(t => new
            {
                name = t.Name,
                status = t.Status,
                seconds = t.Seconds,
                reason = t.Reason is null ? null : mask(t.Reason),
                outputs = t.Outputs.ToDictionary(kv => kv.Key, kv => mask(kv.Value)),
            }),
        };
        var json = JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });
        WriteAtomically(Path.Combine(folder, "summary.json"), json + "\n");
        WriteAtomically(Path.Combine(folder, "summary.md"), mask(Markdown(succeeded, error)));
    }

    private string Markdown(bool succeeded, string? error)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {Target}: {(succeeded ? "succeeded" : "failed")}");
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

        return text.ToString();
    }

    private static void WriteAtomically(string path, string content)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
