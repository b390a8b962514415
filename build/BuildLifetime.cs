using System.Reflection;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Recipes;
using Microsoft.Extensions.DependencyInjection;

namespace Lading;

/// <summary>Checks, before the first task, that every setting the chosen tasks need is there; writes the summary at the end.</summary>
public sealed class BuildLifetime(IServiceProvider services) : FrostingLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
        context.Summary.Target = info.TargetTask.Name;
        var byName = services.GetServices<IFrostingTask>().ToDictionary(t => TaskNameOf(t.GetType()), StringComparer.OrdinalIgnoreCase);
        var needs = info.TasksToExecute
            .Where(t => byName.ContainsKey(t.Name))
            .SelectMany(t => byName[t.Name].GetType().GetCustomAttributes<NeedsAttribute>().Select(n => (n.Key, t.Name)));
        var missing = context.Settings.Missing(needs);
        if (missing.Count > 0)
        {
            throw new RecipeException(missing);
        }

        if (context.Settings.Recipe is { } recipe)
        {
            context.Log.Information("Recipe: {0}", recipe.Path);
        }

        foreach (var setting in SettingKeys.All.Where(s => context.Settings.Has(s.Key)))
        {
            context.Log.Verbose("  {0} = {1} ({2})", setting.Key, context.Settings.Text(setting.Key)!, context.Settings.OriginOf(setting.Key));
        }
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        var folder = context.OutputFolder;
        context.Summary.Write(folder, info.Successful, info.ThrownException?.Message, context.Mask.Apply);
        context.Log.Information("Summary: {0}", Path.Combine(folder, "summary.md"));
    }

    private static string TaskNameOf(Type type) => type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? type.Name;
}
