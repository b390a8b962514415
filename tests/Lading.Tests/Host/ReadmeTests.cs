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
}
