using Lading.Recipes;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Host;

/// <summary>The README is the reference engineers read: it must name every setting and target there is.</summary>
public sealed class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Requires.RepositoryRoot, "README.md"));

    [Fact]
    public void Every_setting_is_documented_with_its_argument_and_variable()
    {
        var missing = SettingKeys.All
            .Where(s => !Readme.Contains($"| `{s.Key}` |")
                        || (s.Argument is not null && !Readme.Contains($"`--{s.Argument}"))
                        || (s.Environment is not null && !Readme.Contains($"`{s.Environment}`")))
            .Select(s => s.Key)
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_task_is_in_the_targets_table()
    {
        var tasks = typeof(LadingHost).Assembly.GetTypes()
            .Where(t => typeof(Cake.Frosting.IFrostingTask).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => t.Name);

        Assert.All(tasks, name => Assert.Contains($"| {name} |", Readme));
    }

    [Fact]
    public void Every_task_says_the_command_line_the_readme_gives_it()
    {
        var rows = Readme.Split('\n')
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\| ([A-Z]\w+) \| .* \| (.*) \|$"))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim('`').Replace("\\|", "|"));
        var tasks = typeof(LadingHost).Assembly.GetTypes()
            .Where(t => typeof(Cake.Frosting.IFrostingTask).IsAssignableFrom(t) && !t.IsAbstract)
            .ToList();

        Assert.All(tasks, task => Assert.Equal(
            rows[task.Name],
            (task.GetCustomAttributes(typeof(Lading.Tasks.CommandLineAttribute), false).SingleOrDefault() as Lading.Tasks.CommandLineAttribute)?.Text));
    }
}
