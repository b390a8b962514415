using Lading.Recipes;

namespace Lading.Tests.Recipes;

public sealed class RecipeLoaderTests
{
    private static RecipeException Fails(string yaml) => Assert.Throws<RecipeException>(() => RecipeLoader.Parse(yaml, "recipes/broken.yaml"));

    [Fact]
    public void Three_mistakes_are_reported_together_with_line_and_column()
    {
        var error = Fails("""
            name: platform
            relaseRepo: https://git.example.com/paas/platform-release.git
            images:
              concurrency: lots
            forge:
              kind: github
              tokenEnv: ghp_abcdef1234567890
            """);

        Assert.Equal(3, error.Problems.Count);
        Assert.Equal("recipes/broken.yaml:2:1", error.Problems[0].Where);
        Assert.Contains("unknown key 'relaseRepo' (did you mean 'releaseRepo'?)", error.Problems[0].Message);
        Assert.Equal("recipes/broken.yaml:4:16", error.Problems[1].Where);
        Assert.Contains("'images.concurrency' expects a whole number", error.Problems[1].Message);
        Assert.Equal("recipes/broken.yaml:7:13", error.Problems[2].Where);
        Assert.Contains("never write the secret itself", error.Problems[2].Message);
        Assert.DoesNotContain("ghp_abcdef1234567890", error.Message);
        Assert.Contains("3 problems", error.Message);
    }

    [Fact]
    public void Broken_yaml_names_the_line()
    {
        var error = Fails("name: platform\nforge:\n  kind: [github\n");

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("recipes/broken.yaml:", problem.Where);
        Assert.Contains("not valid YAML", problem.Message);
    }

    [Fact]
    public void Wrong_shapes_and_choices_are_errors()
    {
        var error = Fails("""
            forge: github
            images:
              layout: tarball
              platforms: {linux: amd64}
            release:
              strict: maybe
            """);

        Assert.Collection(
            error.Problems,
            p => Assert.Equal("recipes/broken.yaml:1:8: 'forge' is a section: expected a map of kind, url, project, tokenEnv", p.ToString()),
            p => Assert.Equal("recipes/broken.yaml:3:11: 'images.layout' expects one of registry, oci, both, not 'tarball'", p.ToString()),
            p => Assert.Equal("recipes/broken.yaml:4:14: 'images.platforms' expects a list of texts, not a map", p.ToString()),
            p => Assert.Equal("recipes/broken.yaml:6:11: 'release.strict' expects true or false, not 'maybe'", p.ToString()));
    }

    [Fact]
    public void Notifications_name_variables_and_known_chats()
    {
        var error = Fails("""
            notify:
              - kind: teams
                urlEnv: TEAMS_URL
              - kind: slack
                urlEnv: https://hooks.slack.com/services/T000/B000/XXXX
              - kind: wecom
            """);

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains("not 'teams'", error.Problems[0].Message);
        Assert.Equal("recipes/broken.yaml:5:13", error.Problems[1].Where);
        Assert.DoesNotContain("hooks.slack.com", error.Message);
        Assert.Equal("recipes/broken.yaml:6:5: a 'notify' entry needs 'urlEnv'", error.Problems[2].ToString());
    }

    [Fact]
    public void Targets_need_dependencies_and_known_keys()
    {
        var error = Fails("""
            targets:
              Nightly:
                description: every night
                dependOn: [Release]
            """);

        Assert.Collection(
            error.Problems,
            p => Assert.Equal("recipes/broken.yaml:4:5: unknown key 'targets.Nightly.dependOn' (a target has description and dependsOn)", p.ToString()),
            p => Assert.Equal("recipes/broken.yaml:2:3: target 'Nightly' needs dependsOn: the tasks it runs", p.ToString()));
    }

    [Fact]
    public void A_valid_recipe_keeps_values_lists_notifications_and_targets()
    {
        var recipe = RecipeLoader.Parse("""
            name: platform
            registry:
              internal: harbor.example.com:8443
              insecure: harbor.example.com:8443, 10.0.0.5:5000
            images:
              platforms: [linux/amd64, linux/arm64]
              concurrency: 8
            cache:
            notify:
              - {kind: dingtalk, urlEnv: DINGTALK_URL}
            targets:
              Nightly: {description: every night, dependsOn: [ShowSettings]}
            """, "r.yaml");

        Assert.Equal("harbor.example.com:8443", recipe.Values[SettingKeys.Registry].Text);
        Assert.Equal(["harbor.example.com:8443", "10.0.0.5:5000"], recipe.Values[SettingKeys.InsecureRegistries].Items);
        Assert.Equal(["linux/amd64", "linux/arm64"], recipe.Values[SettingKeys.Platforms].Items);
        Assert.Equal("r.yaml:6:14", recipe.Values[SettingKeys.Platforms].Location.ToString());
        Assert.False(recipe.Values.ContainsKey(SettingKeys.Cache));
        Assert.Equal(new Notification("dingtalk", "DINGTALK_URL", new SourceLocation("r.yaml", 10, 5)), Assert.Single(recipe.Notifications));
        var target = Assert.Single(recipe.Targets);
        Assert.Equal(("Nightly", "every night", "ShowSettings"), (target.Name, target.Description, target.DependsOn.Single().Task));
    }

    [Fact]
    public void A_missing_recipe_file_is_named()
    {
        var error = Assert.Throws<RecipeException>(() => RecipeLoader.Load("/nonexistent/recipe.yaml", "recipes/missing.yaml"));

        Assert.Equal("recipes/missing.yaml: the recipe file does not exist", Assert.Single(error.Problems).ToString());
    }

    [Fact]
    public void A_list_or_map_written_as_a_key_is_a_problem_at_its_place()
    {
        var error = Fails("name: platform\n? [a, b]\n: c\nregistry:\n  ? {x: 1}\n  : y\nnotify:\n  - ? [k]\n    : v\ntargets:\n  ? [T]\n  : {dependsOn: [ShowSettings]}\n");

        Assert.Equal(
            ["recipes/broken.yaml:2:3: a key must be a name, not a list", "recipes/broken.yaml:5:5: a key must be a name, not a map",
             "recipes/broken.yaml:8:7: a key must be a name, not a list", "recipes/broken.yaml:11:5: a key must be a name, not a list"],
            error.Problems.Where(p => p.Message.StartsWith("a key", StringComparison.Ordinal)).Select(p => p.ToString()));
    }

    [Fact]
    public void A_recipe_larger_than_a_recipe_can_be_is_refused_before_it_is_parsed()
    {
        using var folder = new Lading.Tests.Fixtures.TempFolder();
        var path = folder.Write("huge.yaml", string.Concat(Enumerable.Range(0, 120_000).Select(i => $"k{i}: v\n")));

        var error = Assert.Throws<RecipeException>(() => RecipeLoader.Load(path, "recipes/huge.yaml"));

        Assert.Equal($"recipes/huge.yaml: the recipe is {new FileInfo(path).Length} bytes; a recipe is at most 1024 KiB of settings", Assert.Single(error.Problems).ToString());
    }
}
