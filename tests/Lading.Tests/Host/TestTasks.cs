using Cake.Core;
using Cake.Frosting;

namespace Lading.Tests.Host;

/// <summary>What the test tasks did, in order.</summary>
public sealed class Journal
{
    public List<string> Entries { get; } = [];

    public void Add(string entry)
    {
        lock (Entries)
        {
            Entries.Add(entry);
        }
    }
}

public sealed class JournalContext(ICakeContext context, Journal journal) : FrostingContext(context)
{
    public Journal Journal => journal;

    public bool SkipB => Arguments.HasArgument("skip-b");
}

[TaskName("A")]
[TaskDescription("first")]
public sealed class TaskA : FrostingTask<JournalContext>
{
    public override void Run(JournalContext context) => context.Journal.Add("A");
}

[TaskName("B")]
public sealed class TaskB : FrostingTask<JournalContext>
{
    public override bool ShouldRun(JournalContext context) => !context.SkipB;

    public override void Run(JournalContext context) => context.Journal.Add("B");
}

[TaskName("C")]
[TaskDescription("needs A then B")]
[IsDependentOn(typeof(TaskA))]
[IsDependentOn(typeof(TaskB))]
public sealed class TaskC : AsyncFrostingTask<JournalContext>
{
    public override async Task RunAsync(JournalContext context)
    {
        await Task.Yield();
        context.Journal.Add("C");
    }
}

/// <summary>Only its dependencies: no Run, so no action.</summary>
[TaskName("Pipeline")]
[IsDependentOn(typeof(TaskC))]
public sealed class Pipeline : FrostingTask<JournalContext>
{
}

[TaskName("Before")]
[IsDependeeOf(typeof(TaskA))]
public sealed class Before : FrostingTask<JournalContext>
{
    public override void Run(JournalContext context) => context.Journal.Add("Before");
}

[TaskName("Fails")]
public sealed class Fails : FrostingTask<JournalContext>
{
    public override void Run(JournalContext context)
    {
        context.Journal.Add("Fails");
        if (context.Arguments.HasArgument("exit-code"))
        {
            throw new CakeException(int.Parse(context.Arguments.GetArguments("exit-code").Single()), "broken on purpose");
        }

        throw new InvalidOperationException("broken on purpose");
    }

    public override void Finally(JournalContext context) => context.Journal.Add("Finally");
}

/// <summary>An OnError handler handles the error, as in Cake: the build goes on.</summary>
[TaskName("Handled")]
public sealed class Handled : FrostingTask<JournalContext>
{
    public override void Run(JournalContext context) => throw new InvalidOperationException("handled on purpose");

    public override void OnError(Exception exception, JournalContext context) => context.Journal.Add("OnError:" + exception.Message);
}

[TaskName("AfterHandled")]
[IsDependentOn(typeof(Handled))]
public sealed class AfterHandled : FrostingTask<JournalContext>
{
    public override void Run(JournalContext context) => context.Journal.Add("AfterHandled");
}

[TaskName("Tolerated")]
[ContinueOnError]
public sealed class Tolerated : FrostingTask<JournalContext>
{
    public override void Run(JournalContext context)
    {
        context.Journal.Add("Tolerated");
        throw new InvalidOperationException("tolerated failure");
    }
}

[TaskName("AfterTolerated")]
[IsDependentOn(typeof(Tolerated))]
public sealed class AfterTolerated : FrostingTask<JournalContext>
{
    public override void Run(JournalContext context) => context.Journal.Add("AfterTolerated");
}

[TaskName("AfterFails")]
[IsDependentOn(typeof(Fails))]
public sealed class AfterFails : FrostingTask<JournalContext>
{
    public override void Run(JournalContext context) => context.Journal.Add("AfterFails");
}

[TaskName("Plans")]
[IsDependentOn(typeof(TaskA))]
public sealed class Plans : FrostingTask<JournalContext>, IDryRunAware
{
    public override void Run(JournalContext context) =>
        context.Journal.Add(Cake.Common.DryRunAliases.IsDryRun(context) ? "Plans:dry" : "Plans:real");
}

[TaskName("Echo")]
public sealed class Echo : FrostingTask<JournalContext>
{
    public override void Run(JournalContext context)
    {
        foreach (var (key, values) in context.Arguments.GetArguments().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            context.Journal.Add($"{key}={string.Join("|", values)}");
        }

        context.Journal.Add("cwd=" + context.Environment.WorkingDirectory.FullPath);
    }
}

public sealed class JournalLifetime : FrostingLifetime<JournalContext>
{
    public override void Setup(JournalContext context, ISetupContext info) =>
        context.Journal.Add($"Setup:{info.TargetTask.Name}:{string.Join(",", info.TasksToExecute.Select(t => t.Name))}");

    public override void Teardown(JournalContext context, ITeardownContext info) =>
        context.Journal.Add($"Teardown:{(info.Successful ? "ok" : "failed")}");
}

public sealed class JournalTaskLifetime : FrostingTaskLifetime<JournalContext>
{
    public override void Setup(JournalContext context, ITaskSetupContext info) => context.Journal.Add($"+{info.Task.Name}");

    public override void Teardown(JournalContext context, ITaskTeardownContext info) =>
        context.Journal.Add($"-{info.Task.Name}{(info.Skipped ? ":skipped" : string.Empty)}");
}
