using Cake.Core;
using Cake.Core.Diagnostics;

namespace Cake.Frosting;

/// <summary>Runs setup, teardown and dry-run-aware tasks; logs every other task instead of running it.</summary>
internal sealed class DryRunExecutionStrategy(IExecutionStrategy inner, ICakeLog log, IReadOnlySet<string> awareTasks) : IExecutionStrategy
{
    public void PerformSetup(Action<ISetupContext> action, ISetupContext context) => inner.PerformSetup(action, context);

    public void PerformTeardown(Action<ITeardownContext> action, ITeardownContext teardownContext) => inner.PerformTeardown(action, teardownContext);

    public Task ExecuteAsync(CakeTask task, ICakeContext context)
    {
        if (awareTasks.Contains(task.Name))
        {
            return inner.ExecuteAsync(task, context);
        }

        log.Information("[dry run] would run {0}", task.Name);
        return Task.CompletedTask;
    }

    public void Skip(CakeTask task, CakeTaskCriteria criteria) => inner.Skip(task, criteria);

    public Task ReportErrorsAsync(Func<Exception, Task> action, Exception exception) => inner.ReportErrorsAsync(action, exception);

    public Task HandleErrorsAsync(Func<Exception, ICakeContext, Task> action, Exception exception, ICakeContext context) => inner.HandleErrorsAsync(action, exception, context);

    public Task InvokeFinallyAsync(Func<ICakeContext, Task> action, ICakeContext context) => inner.InvokeFinallyAsync(action, context);

    public void PerformTaskSetup(Action<ITaskSetupContext> action, ITaskSetupContext taskSetupContext) => inner.PerformTaskSetup(action, taskSetupContext);

    public void PerformTaskTeardown(Action<ITaskTeardownContext> action, ITaskTeardownContext taskTeardownContext) => inner.PerformTaskTeardown(action, taskTeardownContext);
}
