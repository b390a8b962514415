using Cake.Core;
using Cake.Frosting;

namespace Lading.Recipes;

/// <summary>
/// Loads the recipe named by --recipe and resolves the settings once per build, as the task graph is built,
/// so that a bad recipe fails before any task runs. Also supplies the targets a recipe declares.
/// </summary>
public sealed class RecipeSession(ICakeArguments arguments, ICakeEnvironment environment, SecretMask mask) : ITargetSource
{
    public const string RecipeArgument = "recipe";

    /// <summary>What ./build.sh with no arguments builds: the example, fully offline.</summary>
    public const string ExampleRecipe = "recipes/example.yaml";
    private BuildSettings? _settings;

    public BuildSettings Settings => _settings ??= Resolve();

    /// <summary>The settings, or null when the recipe or a value is wrong (the run is then refused, saying why).</summary>
    public BuildSettings? TryResolve()
    {
        try
        {
            return Settings;
        }
        catch (RecipeException)
        {
            return null;
        }
    }

    /// <summary>Where this run's summary goes: the resolved output folder, or, when the settings cannot be resolved, --output, LADING_OUTPUT or the default.</summary>
    public string OutputFolder(string workingDirectory)
    {
        if (TryResolve() is { } settings)
        {
            return settings.OutputFolder(workingDirectory);
        }

        var output = SettingKeys.Find(SettingKeys.Output)!;
        var variable = environment.GetEnvironmentVariable(output.Environment!);
        var given = arguments.GetArguments(output.Argument!).LastOrDefault() ?? (string.IsNullOrEmpty(variable) ? null : variable);
        return BuildPaths.From(BuildSettings.Resolve(null, new Dictionary<string, string>(), given is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [output.Argument!] = given }), workingDirectory).Output;
    }

    public IEnumerable<DeclaredTarget> GetTargets(IReadOnlyCollection<string> knownTasks)
    {
        var recipe = Settings.Recipe;
        if (recipe is null)
        {
            return [];
        }

        var known = new HashSet<string>(knownTasks, StringComparer.OrdinalIgnoreCase);
        var declared = new HashSet<string>(recipe.Targets.Select(t => t.Name), StringComparer.OrdinalIgnoreCase);
        var problems = new List<RecipeProblem>();
        foreach (var target in recipe.Targets)
        {
            if (known.Contains(target.Name))
            {
                problems.Add(new(target.Location.ToString(), $"target '{target.Name}' is already a task; pick another name"));
            }

            foreach (var (task, location) in target.DependsOn.Where(d => !known.Contains(d.Task) && !declared.Contains(d.Task)))
            {
                problems.Add(new(location.ToString(), $"target '{target.Name}' depends on '{task}', which is no task (see ./build.sh --description)"));
            }
        }

        if (problems.Count > 0)
        {
            throw new RecipeException(problems);
        }

        return recipe.Targets.Select(t => new DeclaredTarget(t.Name, t.Description, t.DependsOn.Select(d => d.Task).ToList()));
    }

    private BuildSettings Resolve()
    {
        var variables = environment.GetEnvironmentVariables()
            .GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Value ?? string.Empty, StringComparer.Ordinal);
        var given = arguments.GetArguments()
            .Where(kv => kv.Value.Count > 0)
            .ToDictionary(kv => kv.Key, kv => kv.Value.Last(), StringComparer.OrdinalIgnoreCase);

        Recipe? recipe = null;
        var isDefault = !given.TryGetValue("target", out var target) || target.Equals("Default", StringComparison.OrdinalIgnoreCase);
        if (!given.ContainsKey(RecipeArgument) && isDefault && File.Exists(System.IO.Path.Combine(environment.WorkingDirectory.FullPath, ExampleRecipe)))
        {
            given[RecipeArgument] = ExampleRecipe;
        }

        if (given.TryGetValue(RecipeArgument, out var path))
        {
            var full = System.IO.Path.GetFullPath(path, environment.WorkingDirectory.FullPath);
            recipe = RecipeLoader.Load(full, path);
        }

        var settings = BuildSettings.Resolve(recipe, variables, given);
        foreach (var secret in settings.Secrets())
        {
            mask.Add(secret);
        }

        return settings;
    }
}
