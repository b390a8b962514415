using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lading.Recipes;

/// <summary>Reads a recipe file, checking every key, type and value, and reports all problems at once.</summary>
public static partial class RecipeLoader
{
    /// <summary>The largest recipe read: a pipeline's settings fill a few kilobytes; anything near this is no recipe.</summary>
    public const int MaxBytes = 1 << 20;

    public static Recipe Load(string path, string? displayPath = null)
    {
        var shown = displayPath ?? path;
        if (!File.Exists(path))
        {
            throw new RecipeException([new RecipeProblem(shown, "the recipe file does not exist")]);
        }

        var length = new FileInfo(path).Length;
        if (length > MaxBytes)
        {
            throw new RecipeException([new RecipeProblem(shown, $"the recipe is {length} bytes; a recipe is at most {MaxBytes >> 10} KiB of settings")]);
        }

        return Parse(File.ReadAllText(path), shown);
    }

    public static Recipe Parse(string text, string file)
    {
        if (text.Length > MaxBytes)
        {
            throw new RecipeException([new RecipeProblem(file, $"the recipe is {text.Length} characters; a recipe is at most {MaxBytes >> 10} KiB of settings")]);
        }

        var recipe = new Recipe(file);
        var problems = new List<RecipeProblem>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new RecipeException([new RecipeProblem(At(file, ex.Start).ToString(), $"not valid YAML: {Innermost(ex).Message}")]);
        }

        if (stream.Documents.Count == 0)
        {
            return recipe;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new RecipeException([new RecipeProblem(At(file, stream.Documents[0].RootNode.Start).ToString(), "a recipe is a map of settings (key: value)")]);
        }

        ReadMap(root, prefix: string.Empty, recipe, problems);
        if (problems.Count > 0)
        {
            throw new RecipeException(problems);
        }

        return recipe;
    }

    private static void ReadMap(YamlMappingNode map, string prefix, Recipe recipe, List<RecipeProblem> problems)
    {
        var file = recipe.Path;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (KeyOf(keyNode, file, problems) is not { } key)
            {
                continue;
            }

            var full = prefix + key;
            var where = At(file, keyNode.Start);
            if (prefix.Length == 0 && key == SettingKeys.Notify)
            {
                ReadNotifications(valueNode, recipe, problems);
                continue;
            }

            if (prefix.Length == 0 && key == SettingKeys.Os)
            {
                ReadOsTargets(valueNode, recipe, problems);
                continue;
            }

            if (prefix.Length == 0 && key == SettingKeys.Targets)
            {
                ReadTargets(valueNode, recipe, problems);
                continue;
            }

            var setting = SettingKeys.Find(full);
            if (setting is not null)
            {
                ReadValue(setting, valueNode, recipe, problems);
                continue;
            }

            var isSection = SettingKeys.All.Any(s => s.Key.StartsWith(full + ".", StringComparison.Ordinal));
            if (isSection)
            {
                if (valueNode is YamlMappingNode section)
                {
                    ReadMap(section, full + ".", recipe, problems);
                }
                else
                {
                    problems.Add(new(At(file, valueNode.Start).ToString(), $"'{full}' is a section: expected a map of {string.Join(", ", Children(full))}"));
                }

                continue;
            }

            problems.Add(new(where.ToString(), $"unknown key '{full}'{Suggest(full, prefix)}"));
        }
    }

    private static void ReadValue(Setting setting, YamlNode node, Recipe recipe, List<RecipeProblem> problems)
    {
        var where = At(recipe.Path, node.Start);
        if (node is YamlScalarNode { Style: ScalarStyle.Plain } s && (s.Value is null or "" or "~" or "null"))
        {
            return; // an empty value leaves the default in place
        }

        IReadOnlyList<string> items;
        switch (node)
        {
            case YamlScalarNode scalar:
                items = setting.Kind == SettingKind.List
                    ? (scalar.Value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    : [scalar.Value ?? string.Empty];
                break;
            case YamlSequenceNode sequence when setting.Kind == SettingKind.List:
                var list = new List<string>();
                foreach (var item in sequence.Children)
                {
                    if (item is YamlScalarNode { Value: { } value })
                    {
                        list.Add(value);
                    }
                    else
                    {
                        problems.Add(new(At(recipe.Path, item.Start).ToString(), $"'{setting.Key}' takes a list of texts"));
                    }
                }

                items = list;
                break;
            default:
                problems.Add(new(where.ToString(), $"'{setting.Key}' expects {Expected(setting)}, not a {(node is YamlMappingNode ? "map" : "list")}"));
                return;
        }

        foreach (var problem in items.Select(item => Check(setting, item)).OfType<string>())
        {
            problems.Add(new(where.ToString(), problem));
        }

        recipe.Values[setting.Key] = new RecipeValue(items, where);
    }

    /// <summary>Checks one value against its setting; null when it is fine.</summary>
    public static string? Check(Setting setting, string value) => setting.Kind switch
    {
        SettingKind.Flag when !bool.TryParse(value, out _) => $"'{setting.Key}' expects true or false, not '{value}'",
        SettingKind.Number when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 =>
            $"'{setting.Key}' expects a whole number of at least 1, not '{value}'",
        SettingKind.Choice when !setting.Choices!.Contains(value) =>
            $"'{setting.Key}' expects one of {string.Join(", ", setting.Choices!)}, not '{value}'",
        SettingKind.List when setting.Key == SettingKeys.RenderExempt && (value.IndexOf(':') <= 0 || value[(value.IndexOf(':') + 1)..].Trim().Length == 0) =>
            $"'{setting.Key}' entries are 'chart: reason' (why the chart is not rendered), not '{value}'",
        SettingKind.SecretName when !EnvironmentName().IsMatch(value) =>
            $"'{setting.Key}' names the environment variable that holds the secret (like GITHUB_TOKEN); never write the secret itself in a recipe",
        _ => null,
    };

    private static void ReadNotifications(YamlNode node, Recipe recipe, List<RecipeProblem> problems)
    {
        var file = recipe.Path;
        if (node is not YamlSequenceNode sequence)
        {
            problems.Add(new(At(file, node.Start).ToString(), "'notify' expects a list of {kind, urlEnv}"));
            return;
        }

        foreach (var item in sequence.Children)
        {
            var where = At(file, item.Start);
            if (item is not YamlMappingNode map)
            {
                problems.Add(new(where.ToString(), "a 'notify' entry is a map: {kind: wecom|dingtalk|feishu|slack|json, urlEnv: NAME}"));
                continue;
            }

            string? kind = null, urlEnv = null;
            foreach (var (k, v) in map.Children)
            {
                if (KeyOf(k, file, problems) is not { } key)
                {
                    continue;
                }

                var value = (v as YamlScalarNode)?.Value;
                switch (key)
                {
                    case "kind" when value is not null && SettingKeys.NotifyKinds.Contains(value):
                        kind = value;
                        break;
                    case "kind":
                        problems.Add(new(At(file, v.Start).ToString(), $"'notify.kind' expects one of {string.Join(", ", SettingKeys.NotifyKinds)}, not '{value}'"));
                        kind = string.Empty;
                        break;
                    case "urlEnv" when value is not null && EnvironmentName().IsMatch(value):
                        urlEnv = value;
                        break;
                    case "urlEnv":
                        problems.Add(new(At(file, v.Start).ToString(), "'notify.urlEnv' names the environment variable that holds the webhook URL; never write the URL itself in a recipe"));
                        urlEnv = string.Empty;
                        break;
                    default:
                        problems.Add(new(At(file, k.Start).ToString(), $"unknown key 'notify.{key}' (a notify entry has kind and urlEnv)"));
                        break;
                }
            }

            if (kind is null)
            {
                problems.Add(new(where.ToString(), "a 'notify' entry needs 'kind'"));
            }

            if (urlEnv is null)
            {
                problems.Add(new(where.ToString(), "a 'notify' entry needs 'urlEnv'"));
            }

            if (!string.IsNullOrEmpty(kind) && !string.IsNullOrEmpty(urlEnv))
            {
                recipe.Notifications.Add(new Notification(kind, urlEnv, where));
            }
        }
    }

    private static void ReadOsTargets(YamlNode node, Recipe recipe, List<RecipeProblem> problems)
    {
        var file = recipe.Path;
        if (node is not YamlSequenceNode sequence)
        {
            problems.Add(new(At(file, node.Start).ToString(), "'os' expects a list of {list, arch, sources, image}"));
            return;
        }

        foreach (var item in sequence.Children)
        {
            var where = At(file, item.Start);
            if (item is not YamlMappingNode map)
            {
                problems.Add(new(where.ToString(), "an 'os' entry is a map: {list: os/debian-12.list, arch: amd64, sources: [...], image: ...}"));
                continue;
            }

            string? list = null, image = null;
            var arch = "amd64";
            var sources = new List<string>();
            foreach (var (k, v) in map.Children)
            {
                if (KeyOf(k, file, problems) is not { } key)
                {
                    continue;
                }

                switch (key)
                {
                    case "list" or "arch" or "image" when v is YamlScalarNode { Value: { Length: > 0 } text }:
                        if (key == "list")
                        {
                            list = text;
                        }
                        else if (key == "arch")
                        {
                            arch = text;
                        }
                        else
                        {
                            image = text;
                        }

                        break;
                    case "sources" when v is YamlSequenceNode lines:
                        sources.AddRange(lines.Children.OfType<YamlScalarNode>().Select(l => l.Value ?? string.Empty));
                        break;
                    case "list" or "arch" or "image" or "sources":
                        problems.Add(new(At(file, v.Start).ToString(), key == "sources" ? "'os.sources' is a list of sources.list lines" : $"'os.{key}' is a text"));
                        break;
                    default:
                        problems.Add(new(At(file, k.Start).ToString(), $"unknown key 'os.{key}' (an os entry has list, arch, sources and image)"));
                        break;
                }
            }

            if (list is null)
            {
                problems.Add(new(where.ToString(), "an 'os' entry needs 'list' (os/<distro>-<release>.list)"));
                continue;
            }

            recipe.OsTargets.Add(new OsTargetEntry(list, arch, sources, image, where));
        }
    }

    private static void ReadTargets(YamlNode node, Recipe recipe, List<RecipeProblem> problems)
    {
        var file = recipe.Path;
        if (node is not YamlMappingNode map)
        {
            problems.Add(new(At(file, node.Start).ToString(), "'targets' expects a map: Name: {description: ..., dependsOn: [Task, ...]}"));
            return;
        }

        foreach (var (nameNode, body) in map.Children)
        {
            if (KeyOf(nameNode, file, problems) is not { } name)
            {
                continue;
            }

            var where = At(file, nameNode.Start);
            if (!TaskName().IsMatch(name))
            {
                problems.Add(new(where.ToString(), $"target name '{name}' must be letters and digits, starting with a letter"));
            }

            if (body is not YamlMappingNode fields)
            {
                problems.Add(new(At(file, body.Start).ToString(), $"target '{name}' expects a map with description and dependsOn"));
                continue;
            }

            string? description = null;
            var dependsOn = new List<(string, SourceLocation)>();
            var sawDependsOn = false;
            foreach (var (k, v) in fields.Children)
            {
                if (KeyOf(k, file, problems) is not { } key)
                {
                    continue;
                }

                if (key == "description" && v is YamlScalarNode d)
                {
                    description = d.Value;
                }
                else if (key == "dependsOn" && v is YamlSequenceNode tasks)
                {
                    sawDependsOn = true;
                    foreach (var task in tasks.Children)
                    {
                        if (task is YamlScalarNode { Value: { Length: > 0 } taskName })
                        {
                            dependsOn.Add((taskName, At(file, task.Start)));
                        }
                        else
                        {
                            problems.Add(new(At(file, task.Start).ToString(), $"target '{name}': dependsOn takes task names"));
                        }
                    }
                }
                else if (key is "description" or "dependsOn")
                {
                    problems.Add(new(At(file, v.Start).ToString(), key == "description"
                        ? $"target '{name}': description is a text"
                        : $"target '{name}': dependsOn is a list of task names"));
                    sawDependsOn |= key == "dependsOn";
                }
                else
                {
                    problems.Add(new(At(file, k.Start).ToString(), $"unknown key 'targets.{name}.{key}' (a target has description and dependsOn)"));
                }
            }

            if (!sawDependsOn)
            {
                problems.Add(new(where.ToString(), $"target '{name}' needs dependsOn: the tasks it runs"));
            }

            recipe.Targets.Add(new RecipeTarget(name, description, dependsOn, where));
        }
    }

    /// <summary>A key's text; a list or map written as a key (? [a, b]) is a problem at its place.</summary>
    private static string? KeyOf(YamlNode key, string file, List<RecipeProblem> problems)
    {
        if (key is YamlScalarNode scalar)
        {
            return scalar.Value ?? string.Empty;
        }

        problems.Add(new(At(file, key.Start).ToString(), $"a key must be a name, not a {(key is YamlMappingNode ? "map" : "list")}"));
        return null;
    }

    private static IEnumerable<string> Children(string section) =>
        SettingKeys.All.Where(s => s.Key.StartsWith(section + ".", StringComparison.Ordinal)).Select(s => s.Key[(section.Length + 1)..]);

    private static string Expected(Setting setting) => setting.Kind switch
    {
        SettingKind.Flag => "true or false",
        SettingKind.Number => "a whole number",
        SettingKind.Choice => "one of " + string.Join(", ", setting.Choices!),
        SettingKind.List => "a list of texts",
        SettingKind.SecretName => "the name of an environment variable",
        _ => "a text",
    };

    private static string Suggest(string key, string prefix) =>
        Cake.Frosting.DidYouMean.Hint(key, SettingKeys.All.Select(s => s.Key)
            .Concat([SettingKeys.Notify, SettingKeys.Targets, SettingKeys.Os])
            .Concat(SettingKeys.All.Where(s => s.Key.Contains('.')).Select(s => s.Key[..s.Key.IndexOf('.')]))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct());

    private static SourceLocation At(string file, Mark mark) => new(file, mark.Line, mark.Column);

    private static Exception Innermost(Exception ex) => ex.InnerException is YamlException inner ? Innermost(inner) : ex;

    [GeneratedRegex("^[A-Z_][A-Z0-9_]*$")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex TaskName();
}
