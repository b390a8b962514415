using System.Globalization;

namespace Lading.Recipes;

/// <summary>
/// Resolved settings of one build. Precedence: default &lt; recipe &lt; environment (LADING_*) &lt; command line.
/// </summary>
public sealed class BuildSettings
{
    private readonly Dictionary<string, (IReadOnlyList<string> Items, string Origin)> _values = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string> _environment;

    private BuildSettings(Recipe? recipe, IReadOnlyDictionary<string, string> environment)
    {
        Recipe = recipe;
        _environment = environment;
    }

    public Recipe? Recipe { get; }

    public IReadOnlyList<Notification> Notifications => Recipe?.Notifications ?? [];

    public IReadOnlyList<OsTargetEntry> OsTargets => Recipe?.OsTargets ?? [];

    public static BuildSettings Resolve(Recipe? recipe, IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string> arguments)
    {
        var settings = new BuildSettings(recipe, environment);
        var problems = new List<RecipeProblem>();
        foreach (var setting in SettingKeys.All)
        {
            if (setting.Default is not null)
            {
                settings._values[setting.Key] = (Split(setting, setting.Default), "default");
            }

            if (recipe is not null && recipe.Values.TryGetValue(setting.Key, out var fromRecipe))
            {
                settings._values[setting.Key] = (fromRecipe.Items, $"recipe {fromRecipe.Location}");
            }

            if (setting.Environment is { } variable && environment.TryGetValue(variable, out var fromEnvironment) && fromEnvironment.Length > 0)
            {
                settings.Set(setting, fromEnvironment, $"environment {variable}", problems);
            }

            if (setting.Argument is { } argument && arguments.TryGetValue(argument, out var fromArgument))
            {
                // An empty value is a job parameter left blank: say so rather than build with an empty version or path.
                if (fromArgument.Length == 0)
                {
                    problems.Add(new RecipeProblem($"--{argument}", "is empty; give it a value or leave the option out"));
                    continue;
                }

                settings.Set(setting, fromArgument, $"--{argument}", problems);
            }
        }

        if (problems.Count > 0)
        {
            throw new RecipeException(problems);
        }

        return settings;
    }

    public string? Text(string key) => _values.TryGetValue(Known(key), out var v) && v.Items.Count > 0 ? string.Join(",", v.Items) : null;

    public IReadOnlyList<string> List(string key) => _values.TryGetValue(Known(key), out var v) ? v.Items : [];

    public bool Flag(string key) => bool.TryParse(Text(key), out var flag) && flag;

    public int Number(string key) => int.Parse(Text(key) ?? "0", CultureInfo.InvariantCulture);

    public bool Has(string key) => Text(key) is not null;

    /// <summary>True when the recipe, the environment or the command line set the value (not only its default).</summary>
    public bool IsGiven(string key) => _values.TryGetValue(Known(key), out var v) && v.Origin != "default";

    /// <summary>Where the value came from: default, recipe file:line:column, environment variable or argument.</summary>
    public string OriginOf(string key) => _values.TryGetValue(Known(key), out var v) ? v.Origin : "not set";

    /// <summary>Every setting with a value and where it came from, for the summary (values are masked when written).</summary>
    public IReadOnlyList<SettingOrigin> Origins() =>
        SettingKeys.All.Where(s => Has(s.Key)).Select(s => new SettingOrigin(s.Key, Text(s.Key)!, OriginOf(s.Key))).ToList();

    /// <summary>The folder summaries and packages are written to, absolute.</summary>
    public string OutputFolder(string workingDirectory) => BuildPaths.From(this, workingDirectory).Output;

    /// <summary>The secret held by the environment variable that the setting names, or null when that variable is unset.</summary>
    public string? Secret(string key) => Text(key) is { } variable ? Variable(variable) : null;

    /// <summary>The value of an environment variable a recipe names (a webhook URL), or null when it is unset or empty.</summary>
    public string? Variable(string name) => _environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>Every secret these settings can reach, so it can be masked before anything is printed.</summary>
    public IEnumerable<string> Secrets() =>
        SettingKeys.All.Where(s => s.Kind == SettingKind.SecretName).Select(s => Secret(s.Key))
            .Concat(Notifications.Select(n => _environment.GetValueOrDefault(n.UrlEnv)))
            .OfType<string>();

    /// <summary>Checks that every needed setting has a value; one problem per missing setting.</summary>
    public IReadOnlyList<RecipeProblem> Missing(IEnumerable<(string Key, string NeededBy)> needs)
    {
        var where = Recipe?.Path ?? "settings";
        return needs.Where(n => !Has(n.Key))
            .GroupBy(n => n.Key)
            .Select(g =>
            {
                var setting = SettingKeys.Find(g.Key)!;
                var how = setting.Argument is null ? $"'{setting.Key}' in the recipe" : $"'{setting.Key}' in the recipe, {setting.Environment} or --{setting.Argument}";
                return new RecipeProblem(where, $"missing required value {how} (needed by {string.Join(", ", g.Select(n => n.NeededBy).Distinct())})");
            })
            .ToList();
    }

    private void Set(Setting setting, string value, string origin, List<RecipeProblem> problems)
    {
        var items = Split(setting, value);
        foreach (var problem in items.Select(i => RecipeLoader.Check(setting, i)).OfType<string>())
        {
            problems.Add(new RecipeProblem(origin, problem));
        }

        _values[setting.Key] = (items, origin);
    }

    private static IReadOnlyList<string> Split(Setting setting, string value) =>
        setting.Kind == SettingKind.List ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [value];

    private static string Known(string key) =>
        SettingKeys.Find(key) is not null ? key : throw new ArgumentException($"'{key}' is not a setting Lading knows.", nameof(key));
}
