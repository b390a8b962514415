using System.Reflection;
using Cake.Core;

namespace Cake.Frosting;

/// <summary>Turns typed tasks and lifetimes into Cake engine tasks and actions.</summary>
internal static class TaskRegistration
{
    public static string NameOf(Type taskType) =>
        taskType.GetCustomAttribute<TaskNameAttribute>()?.Name ?? taskType.Name;

    public static void Register(ICakeEngine engine, IFrostingContext context, IReadOnlyList<IFrostingTask> tasks)
    {
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

            if (Overrides(type, nameof(IFrostingTask.RunAsync), "Run"))
            {
                builder.Does(() => task.RunAsync(context));
            }

            if (Overrides(type, nameof(IFrostingTask.ShouldRun)))
            {
                builder.WithCriteria(() => task.ShouldRun(context));
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
