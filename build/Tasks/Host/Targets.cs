using System.Reflection;
using Cake.Core;
using Cake.Core.Graph;
using Cake.Frosting;
using Lading.Recipes;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Lading.Tasks.Host;

[TaskName(nameof(Targets))]
[TaskDescription("Lists every target with its description and the command line that runs it")]
[CommandLine("./build.sh --target=Targets")]
public sealed class Targets(ICakeEngine engine, IServiceProvider services, IAnsiConsole console) : FrostingTask<BuildContext>, IDryRunAware
{
    public override void Run(BuildContext context)
    {
        // Resolved here, not injected: the task list contains this task.
        var types = services.GetServices<IFrostingTask>().ToDictionary(t => t.GetType().GetCustomAttribute<TaskNameAttribute>()?.Name ?? t.GetType().Name, t => t.GetType(), StringComparer.OrdinalIgnoreCase);
        var graph = CakeGraphBuilder.Build(engine.Tasks);
        var table = new Table().AddColumns("target", "what it does", "command line");
        foreach (var task in engine.Tasks.Where(t => !t.Name.Equals(nameof(Targets), StringComparison.OrdinalIgnoreCase)).OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase))
        {
            table.AddRow(Markup.Escape(task.Name), Markup.Escape(task.Description ?? string.Empty), Markup.Escape(CommandLineOf(task.Name, types, graph, context)));
        }

        console.Write(table);
        console.WriteLine("Settings can also come from a recipe (--recipe=recipes/<file>.yaml) or LADING_* environment variables; see README.md.");
    }

    /// <summary>The README's command line of a coded task; for a recipe's target, the recipe that declares it; else what its tasks need.</summary>
    private static string CommandLineOf(string name, IReadOnlyDictionary<string, Type> types, CakeGraph graph, BuildContext context)
    {
        if (types.TryGetValue(name, out var type) && type.GetCustomAttribute<CommandLineAttribute>() is { } commandLine)
        {
            return commandLine.Text;
        }

        var recipe = context.Settings.Recipe is { } declaring && declaring.Targets.Any(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ? new[] { $"--recipe={declaring.Path}" }
            : [];
        var needs = graph.Traverse(name)
            .Where(types.ContainsKey)
            .SelectMany(task => types[task].GetCustomAttributes<NeedsAttribute>())
            .Select(n => SettingKeys.Find(n.Key)!)
            .Distinct()
            .Select(s => s.Argument is null ? $"(recipe: {s.Key})" : $"--{s.Argument}=<{s.Key}>");
        return string.Join(' ', new[] { $"./build.sh --target={name}" }.Concat(recipe).Concat(needs));
    }
}
