using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Lading.Recipes;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Recipes;

public sealed class RecipeSchemaTests
{
    private static readonly string RecipesFolder = Path.Combine(Requires.RepositoryRoot, "recipes");

    // Built once: the schema registers its $id globally.
    private static readonly Lazy<JsonSchema> LoadedSchema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(RecipesFolder, "recipe.schema.json"))));

    private static JsonSchema Schema => LoadedSchema.Value;

    public static TheoryData<string> Recipes()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RecipesFolder, "*.yaml", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RecipesFolder, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Recipes))]
    public void Every_recipe_in_the_repository_matches_the_schema_and_loads(string file)
    {
        var path = Path.Combine(RecipesFolder, file);
        var result = Schema.Evaluate(ToJson(path), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("\n", JsonSerializer.Serialize(result)));
        RecipeLoader.Load(path);
    }

    [Fact]
    public void The_schema_and_the_loader_know_the_same_keys()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RecipesFolder, "recipe.schema.json")))!["properties"]!.AsObject();
        var schemaKeys = new List<string>();
        foreach (var (key, value) in schema)
        {
            if (key is SettingKeys.Notify or SettingKeys.Targets or SettingKeys.Os)
            {
                continue;
            }

            if (value!["properties"] is JsonObject children)
            {
                schemaKeys.AddRange(children.Select(c => $"{key}.{c.Key}"));
            }
            else
            {
                schemaKeys.Add(key);
            }
        }

        Assert.Equal(SettingKeys.All.Select(s => s.Key).Order(), schemaKeys.Order());
    }

    [Fact]
    public void A_recipe_the_loader_refuses_is_refused_by_the_schema_too()
    {
        using var folder = new TempFolder();
        var path = folder.Write("bad.yaml", "relaseRepo: x\nimages:\n  concurrency: lots\nforge:\n  tokenEnv: ghp_abc\n");

        var result = Schema.Evaluate(ToJson(path));

        Assert.False(result.IsValid);
        Assert.Equal(3, Assert.Throws<RecipeException>(() => RecipeLoader.Load(path)).Problems.Count);
    }

    private static JsonElement ToJson(string path) => YamlJson.Parse(File.ReadAllText(path));
}
