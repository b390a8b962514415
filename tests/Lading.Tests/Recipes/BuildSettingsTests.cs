using Lading.Recipes;

namespace Lading.Tests.Recipes;

public sealed class BuildSettingsTests
{
    private static readonly Recipe Recipe = RecipeLoader.Parse("""
        branch: from-recipe
        output: recipe-out
        forge:
          kind: github
          tokenEnv: MY_TOKEN
        """, "r.yaml");

    [Fact]
    public void Recipe_is_overridden_by_environment_which_is_overridden_by_the_command_line()
    {
        var settings = BuildSettings.Resolve(
            Recipe,
            new Dictionary<string, string> { ["LADING_BRANCH"] = "from-env", ["LADING_OUTPUT"] = "env-out" },
            new Dictionary<string, string> { ["branch"] = "from-argument" });

        Assert.Equal("from-argument", settings.Text(SettingKeys.Branch));
        Assert.Equal("--branch", settings.OriginOf(SettingKeys.Branch));
        Assert.Equal("env-out", settings.Text(SettingKeys.Output));
        Assert.Equal("environment LADING_OUTPUT", settings.OriginOf(SettingKeys.Output));
        Assert.Equal("github", settings.Text(SettingKeys.ForgeKind));
        Assert.Equal("recipe r.yaml:4:9", settings.OriginOf(SettingKeys.ForgeKind));
        Assert.Equal("registry", settings.Text(SettingKeys.Layout));
        Assert.Equal("default", settings.OriginOf(SettingKeys.Layout));
        Assert.Null(settings.Text(SettingKeys.Registry));
    }

    [Fact]
    public void Bad_values_from_environment_and_command_line_are_reported_together()
    {
        var error = Assert.Throws<RecipeException>(() => BuildSettings.Resolve(
            Recipe,
            new Dictionary<string, string> { ["LADING_CONCURRENCY"] = "0" },
            new Dictionary<string, string> { ["layout"] = "zip", ["strict"] = "yes" }));

        Assert.Equal(
            [
                "--layout: 'images.layout' expects one of registry, oci, both, not 'zip'",
                "environment LADING_CONCURRENCY: 'images.concurrency' expects a whole number of at least 1, not '0'",
                "--strict: 'release.strict' expects true or false, not 'yes'",
            ],
            error.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Secrets_are_read_from_the_variable_the_recipe_names()
    {
        var settings = BuildSettings.Resolve(
            Recipe,
            new Dictionary<string, string> { ["MY_TOKEN"] = "s3cr3t-token", ["LADING_REGISTRY_PASSWORD"] = "registry-pass" },
            new Dictionary<string, string>());

        Assert.Equal("s3cr3t-token", settings.Secret(SettingKeys.ForgeTokenEnv));
        Assert.Equal("registry-pass", settings.Secret(SettingKeys.RegistryPasswordEnv));
        Assert.Null(settings.Secret(SettingKeys.UploadPasswordEnv));
        Assert.Equal(["s3cr3t-token", "registry-pass"], settings.Secrets());
    }

    [Fact]
    public void Missing_values_name_the_setting_its_sources_and_the_tasks_needing_it()
    {
        var settings = BuildSettings.Resolve(Recipe, new Dictionary<string, string>(), new Dictionary<string, string>());

        var missing = settings.Missing([(SettingKeys.ReleaseRepo, "ResolveTags"), (SettingKeys.ReleaseRepo, "CollectCharts"), (SettingKeys.Branch, "X")]);

        Assert.Equal(
            "r.yaml: missing required value 'releaseRepo' in the recipe, LADING_RELEASE_REPO or --release-repo (needed by ResolveTags, CollectCharts)",
            Assert.Single(missing).ToString());
    }

    [Fact]
    public void Lists_from_the_command_line_are_comma_separated()
    {
        var settings = BuildSettings.Resolve(null, new Dictionary<string, string>(), new Dictionary<string, string> { ["platform"] = "linux/amd64, linux/arm64" });

        Assert.Equal(["linux/amd64", "linux/arm64"], settings.List(SettingKeys.Platforms));
    }
}
