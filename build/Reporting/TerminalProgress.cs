using Spectre.Console;

namespace Lading.Reporting;

/// <summary>Progress bars on an interactive terminal.</summary>
public sealed class TerminalProgress(IAnsiConsole console) : IProgressDisplay
{
    public Task RunAsync(string title, Func<IProgressScope, Task> work)
    {
        console.MarkupLine($"[bold]{Markup.Escape(SafeText.Clean(title))}[/]");
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(ctx => work(new Scope(ctx)));
    }

    private sealed class Scope(ProgressContext context) : IProgressScope
    {
        public IProgressItem Start(string label, long total, ProgressUnit unit)
        {
            // An unknown total (bytes still to be discovered) shows as a moving bar with the amount so far.
            var task = context.AddTask(Markup.Escape(SafeText.Escape(SafeText.Cut(label, 80))), maxValue: total > 0 ? total : double.MaxValue);
            task.IsIndeterminate = total <= 0;
            return new Item(task, label, total, unit);
        }
    }

    private sealed class Item(ProgressTask task, string label, long total, ProgressUnit unit) : IProgressItem
    {
        private long _done;

        public void Advance(long amount)
        {
            var done = Interlocked.Add(ref _done, amount);
            task.Increment(amount);
            task.Description = Markup.Escape($"{SafeText.Escape(SafeText.Cut(label, 80))}: {PlainProgress.Describe(done, total, unit)}");
        }

        public void Dispose()
        {
            if (task.IsIndeterminate)
            {
                task.IsIndeterminate = false;
                task.MaxValue = Math.Max(1, task.Value);
            }

            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
