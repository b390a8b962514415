using Cake.Common.Build;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;

namespace Lading;

/// <summary>Groups each task's log output under its name and records its outcome in the summary.</summary>
public sealed class TaskLifetime : FrostingTaskLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ITaskSetupContext info)
    {
        context.CurrentTask = info.Task.Name;
        if (context.BuildSystem().IsRunningOnGitHubActions)
        {
            context.Log.Information("::group::{0}", info.Task.Name);
        }
    }

    public override void Teardown(BuildContext context, ITaskTeardownContext info)
    {
        var status = info.Skipped ? "skipped" : info.Successful ? "succeeded" : "failed";
        if (info.Skipped)
        {
            context.Summary.Skipped(info.Task.Name);
        }

        context.Summary.Finish(info.Task.Name, status, info.Duration);
        if (context.BuildSystem().IsRunningOnGitHubActions)
        {
            context.Log.Information("::endgroup::");
        }

        if (info.ThrownException is { } failure && !info.Successful)
        {
            // Said here, under the task that failed, not only at the end of a long log.
            context.Log.Error("{0} failed in {1:0.0}s: {2}", info.Task.Name, info.Duration.TotalSeconds, Reason(failure));
        }
        else
        {
            context.Log.Information("{0} {1} in {2:0.0}s", info.Task.Name, status, info.Duration.TotalSeconds);
        }

        context.CurrentTask = string.Empty;
    }

    private static string Reason(Exception failure) =>
        failure is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0].Message : failure.Message;
}
