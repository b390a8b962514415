using System.Reflection;
using Cake.Core;

namespace Cake.Frosting;

/// <summary>Turns typed tasks and lifetimes into Cake engine tasks and actions.</summary>
internal static class TaskRegistration
{
    public static string NameOf(Type taskType) =>
        taskType.GetCustomAttribute<TaskNameAttribute>()?.Name ?? taskType.Name;

    /// <summary>
    /// Registers the typed tasks. The target's own ShouldRun is asked when its turn comes, inside its action: Cake would
    /// stop the build ("Could not reach target") where any other task is simply skipped, and a target that has nothing
    /// to do (CheckImages without a registry) is skipped with its reason too.
    /// </summary>
    public static SkippedTarget Register(ICakeEngine engine, IFrostingContext context, IReadOnlyList<IFrostingTask> tasks, string target)
    {
        var skippedTarget = new SkippedTarget();
        var duplicates = tasks.GroupBy(t => NameOf(t.GetType()), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList();
        if (duplicates.Count > 0)
        {
            throw new CakeException($"Two task types share the name {string.Join(", ", duplicates.Select(d => $"'{d.Key}' ({string.Join(", ", d.Select(t => t.GetType().FullName))})"))}.");
        }

        foreach (var task in tasks)
        {
            var type = task.GetType();
            var builder = engine.RegisterTask(NameOf(type));
            var cakeTask = (CakeTask)builder.Task;
            cakeTask.Description = type.GetCustomAttribute<TaskDescriptionAttribute>()?.Description ?? string.Empty;

            foreach (var dependency in type.GetCustomAttributes<IsDependentOnAttribute>())
            {
                builder.IsDependentOn(DependencyName(type, dependency.Task));
            }

            foreach (var dependee in type.GetCustomAttributes<IsDependeeOfAttribute>())
            {
                builder.IsDependeeOf(DependencyName(type, dependee.Task));
            }

            var runs = Overrides(type, nameof(IFrostingTask.RunAsync), "Run");
            var hasCriteria = Overrides(type, nameof(IFrostingTask.ShouldRun));
            if (hasCriteria && NameOf(type).Equals(target, StringComparison.OrdinalIgnoreCase))
            {
                builder.Does(async () =>
                {
                    if (!task.ShouldRun(context))
                    {
                        skippedTarget.Name = NameOf(type);
                        return;
                    }

                    if (runs)
                    {
                        await task.RunAsync(context);
                    }
                });
            }
            else
            {
                if (runs)
                {
                    builder.Does(() => task.RunAsync(context));
                }

                if (hasCriteria)
                {
                    builder.WithCriteria(() => task.ShouldRun(context));
                }
            }

            if (Overrides(type, nameof(IFrostingTask.OnError)))
            {
                builder.OnError(exception => task.OnError(exception, context));
            }

            if (Overrides(type, nameof(IFrostingTask.Finally)))
            {
                builder.Finally(() => task.Finally(context));
            }

            if (type.GetCustomAttribute<ContinueOnErrorAttribute>() is not null)
            {
                builder.ContinueOnError();
            }
        }

        return skippedTarget;
    }

    public static void Register(ICakeEngine engine, IEnumerable<DeclaredTarget> targets)
    {
        foreach (var target in targets)
        {
            var builder = engine.RegisterTask(target.Name);
            ((CakeTask)builder.Task).Description = target.Description ?? string.Empty;
            foreach (var dependency in target.DependsOn)
            {
                builder.IsDependentOn(dependency);
            }
        }
    }

    private static string DependencyName(Type task, Type dependency)
    {
        if (!typeof(IFrostingTask).IsAssignableFrom(dependency))
        {
            throw new CakeException($"Task '{NameOf(task)}' names '{dependency.FullName}' as a dependency, which is not a task.");
        }

        return NameOf(dependency);
    }

    // A task that does not override a member gets no action, criteria or handler for it, as in Cake.Frosting.
    private static bool Overrides(Type type, params string[] names)
    {
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            if (current.IsGenericType && (current.GetGenericTypeDefinition() == typeof(FrostingTask<>) || current.GetGenericTypeDefinition() == typeof(AsyncFrostingTask<>)))
            {
                return false;
            }

            if (current.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Any(m => names.Contains(m.Name) && m.GetBaseDefinition().DeclaringType != current))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The target, when its own ShouldRun said no: its task teardown is told it was skipped, as for any other task.</summary>
internal sealed class SkippedTarget
{
    public string? Name { get; set; }

    public ITaskTeardownContext Describe(ITaskTeardownContext info) =>
        Name is not null && info.Task.Name.Equals(Name, StringComparison.OrdinalIgnoreCase)
            ? new TaskTeardownContext(info, info.Task, info.Duration, skipped: true, info.ThrownException)
            : info;
}
