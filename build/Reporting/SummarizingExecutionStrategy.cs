using Cake.Core;

namespace Lading.Reporting;

/// <summary>Ties the reason a task's ShouldRun gave to the task Cake then skips, for the summary.</summary>
public sealed class SummarizingExecutionStrategy(IExecutionStrategy inner, BuildSummary summary) : IExecutionStrategy
{
    public void PerformSetup(Action<ISetupContext> action, ISetupContext context) => inner.PerformSetup(action, context);

    public void PerformTeardown(Action<ITeardownContext> action, ITeardownContext teardownContext) => inner.PerformTeardown(action, teardownContext);

    public Task ExecuteAsync(CakeTask task, ICakeContext context) => inner.ExecuteAsync(task, context);

    public void Skip(CakeTask task, CakeTaskCriteria criteria)
    {
        inner.Skip(task, criteria);
        summary.Skipped(task.Name);
    }

    public Task ReportErrorsAsync(Func<Exception, Task> action, Exception exception) => inner.ReportErrorsAsync(action, exception);

    public Task HandleErrorsAsync(Func<Exception, ICakeContext, Task> action, Exception exception, ICakeContext context) => inner.HandleErrorsAsync(action, exception, context);

    public Task InvokeFinallyAsync(Func<ICakeContext, Task> action, ICakeContext context) => inner.InvokeFinallyAsync(action, context);

    public void PerformTaskSetup(Action<ITaskSetupContext> action, ITaskSetupContext taskSetupContext) => inner.PerformTaskSetup(action, taskSetupContext);

    public void PerformTaskTeardown(Action<ITaskTeardownContext> action, ITaskTeardownContext taskTeardownContext) => inner.PerformTaskTeardown(action, taskTeardownContext);
}
