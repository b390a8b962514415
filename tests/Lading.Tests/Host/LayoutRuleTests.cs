using System.Text.RegularExpressions;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Host;

/// <summary>The rule of the build folder: tasks read typed settings; only Setup turns raw settings into objects.</summary>
public sealed partial class LayoutRuleTests
{
    private static readonly string Build = Path.Combine(Requires.RepositoryRoot, "build");

    [Fact]
    public void Only_the_recipes_setup_and_show_settings_read_settings_by_key()
    {
        var allowed = new[] { "BuildLifetime.cs", Path.Combine("Recipes", ""), Path.Combine("Tasks", "Host", "ShowSettings.cs") };
        var offenders = Directory.GetFiles(Build, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Build, f))
            .Where(f => !f.StartsWith("obj", StringComparison.Ordinal) && !f.StartsWith("bin", StringComparison.Ordinal))
            .Where(f => !allowed.Any(a => f.StartsWith(a, StringComparison.Ordinal)))
            .Where(f => RawSettingRead().IsMatch(File.ReadAllText(Path.Combine(Build, f))))
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_build_context_is_one_small_file_of_values()
    {
        var contexts = Directory.GetFiles(Build, "BuildContext*.cs", SearchOption.TopDirectoryOnly);

        Assert.Equal([Path.Combine(Build, "BuildContext.cs")], contexts);
        Assert.InRange(File.ReadAllLines(contexts[0]).Length, 1, 160);
    }

    [GeneratedRegex(@"Settings\.(Text|List|Flag|Number|Has|IsGiven|Secret)\(SettingKeys\.")]
    private static partial Regex RawSettingRead();
}
