using System.Text.Json;
using Json.Schema;
using Lading.Images;
using Lading.Release;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Release;

/// <summary>
/// The release repo's formats have JSON Schemas for editors (recipes/*.schema.json); the readers ResolveTags and
/// UpdateVersions use accept and refuse what the schemas do, and say where.
/// </summary>
public sealed class ReleaseSchemaTests : IDisposable
{
    private static readonly string RecipesFolder = Path.Combine(Requires.RepositoryRoot, "recipes");
    private static readonly string Example = Path.Combine(RecipesFolder, "example", "platform-release");

    // Built once each: a schema registers its $id globally.
    private static readonly Dictionary<string, Lazy<JsonSchema>> Schemas = new[] { "repos", "version", "images-origin" }
        .ToDictionary(n => n, n => new Lazy<JsonSchema>(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(RecipesFolder, $"{n}.schema.json")))));

    private readonly TempFolder _folder = new("lading-release-schema");

    public void Dispose() => _folder.Dispose();

    private static bool SchemaAccepts(string schema, string yaml, out string why)
    {
        var result = Schemas[schema].Value.Evaluate(YamlJson.Parse(yaml), new EvaluationOptions { OutputFormat = OutputFormat.List });
        why = JsonSerializer.Serialize(result);
        return result.IsValid;
    }

    /// <summary>The reader's problems for the file, or none when it reads.</summary>
    private IReadOnlyList<string> ReaderProblems(string schema, string yaml)
    {
        var name = schema switch { "repos" => "repos/set.yaml", "version" => "version.yml", _ => "images_origin.yaml" };
        var path = _folder.Write(name, yaml);
        try
        {
            switch (schema)
            {
                case "repos":
                    ComponentRepoFile.Load(path);
                    break;
                case "version":
                    VersionFile.Load(path);
                    break;
                default:
                    OriginMapping.Load(path);
                    break;
            }

            return [];
        }
        catch (ReleaseException e)
        {
            return e.Problems.Select(p => p.ToString().Replace(_folder.Path + "/", string.Empty)).ToList();
        }
        catch (OriginMappingException e)
        {
            return e.Problems.Select(p => p.Replace(_folder.Path + "/", string.Empty)).ToList();
        }
    }

    public static TheoryData<string, string> ExampleFiles() => new()
    {
        { "repos", "repos/components.yaml" },
        { "repos", "repos/console.yaml" },
        { "version", "version.yml" },
        { "images-origin", "images_origin.yaml" },
    };

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void The_example_release_repo_matches_its_schemas_and_reads(string schema, string file)
    {
        var yaml = File.ReadAllText(Path.Combine(Example, file));

        Assert.True(SchemaAccepts(schema, yaml, out var why), why);
        Assert.Empty(ReaderProblems(schema, yaml));
    }

    [Fact]
    public void Every_repos_file_of_the_example_is_covered()
    {
        Assert.Equal(["components.yaml", "console.yaml"], Directory.GetFiles(Path.Combine(Example, "repos")).Select(Path.GetFileName).Order());
    }

    public static TheoryData<string, string> Accepted() => new()
    {
        { "repos", "" },
        { "repos", "- repositoryFullName: acme/cyclone\n  currentTag: v0.5.3\n  chartPaths: [manifests/cyclone]\n  targetChartPath: addons\n" },
        { "repos", "apiVersion: v1\nkind: ComponentSet\nmetadata: {name: collect set, description: the collect tools}\nspec:\n- repositoryFullName: group/sub/cyclone\n  baseVersion: v1.2\n  currentTag: \"v1.2.0\"\n  chartPaths: [manifests/cyclone, manifests/cyclone-crds]\n  targetChartPath: addons\n" },
        { "version", "spec:\n  modules: []\n" },
        { "version", "spec:\n  modules:\n  - name: devops\n    addons:\n    - name: cyclone\n      namespace: devops-system\n      version: v1.2.0\n  - name: empty\n    enable: false\n" },
        { "images-origin", "" },
        { "images-origin", "- {src: k8s.gcr.io/coredns, dest: library/coredns}\n- src: registry.example.com:5000/team/api\n  dest: release/api\n" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void What_the_schema_accepts_the_reader_reads(string schema, string yaml)
    {
        Assert.True(SchemaAccepts(schema, yaml, out var why), why);
        Assert.Empty(ReaderProblems(schema, yaml));
    }

    public static TheoryData<string, string, string> Refused() => new()
    {
        { "repos", "- repositoryFullName: acme/x\n  curentTag: v1\n  chartPaths: [c]\n  targetChartPath: addons\n", "repos/set.yaml:2:3: unknown key 'curentTag' (did you mean 'currentTag'?)" },
        { "repos", "- repositoryFullName: acme/x\n  currentTag: v1\n  chartPaths: []\n  targetChartPath: addons\n", "repos/set.yaml:3:15: chartPaths is empty" },
        { "repos", "- repositoryFullName: acme/x\n  currentTag: v1\n  chartPaths: [../escape]\n  targetChartPath: addons\n", "repos/set.yaml:3:16: '../escape' must be a path inside the repo" },
        { "repos", "- repositoryFullName: /acme/x\n  currentTag: v1\n  chartPaths: [c]\n  targetChartPath: addons\n", "repos/set.yaml:1:23: repositoryFullName '/acme/x' must look like owner/name" },
        { "repos", "- repositoryFullName: acme/x\n  currentTag: true\n  chartPaths: [c]\n  targetChartPath: addons\n", "repos/set.yaml:2:15: currentTag must be a non-empty string" },
        { "repos", "- repositoryFullName: acme/x\n  chartPaths: [c]\n  targetChartPath: addons\n", "repos/set.yaml:1:3: 'currentTag' is missing" },
        { "repos", "metadata: {name: set}\nspecs: []\n", "repos/set.yaml:2:1: unknown key 'specs'" },
        { "repos", "metadata: {name: set, owner: me}\nspec: []\n", "repos/set.yaml:1:23: unknown key 'owner' in metadata" },
        { "repos", "just text\n", "repos/set.yaml:1:1: a repos file must be a list of component repos" },
        { "version", "modules: []\n", "version.yml:1:1: 'spec' is missing" },
        { "version", "spec:\n  modules:\n  - name: devops\n    addons:\n    - name: cyclone\n      namepsace: devops-system\n", "version.yml:6:7: unknown key 'namepsace' (did you mean 'namespace'?)" },
        { "version", "spec:\n  modules:\n  - name: devops\n    enable: maybe\n", "version.yml:4:13: 'enable' must be true or false" },
        { "version", "spec:\n  modules:\n  - description: no name\n", "version.yml:3:5: the module's 'name' is missing" },
        { "version", "spec:\n  modules:\n  - name: devops\n    addon: []\n", "version.yml:4:5: unknown key 'addon' (did you mean 'addons'?)" },
        { "version", "spec:\n  modules: {devops: {}}\n", "version.yml:2:12: 'spec.modules' must be a list of modules" },
        { "images-origin", "- {src: k8s.gcr.io/coredns:1.11, dest: library/coredns}\n", "images_origin.yaml:1:9: src 'k8s.gcr.io/coredns:1.11' must name a repository without tag or digest" },
        { "images-origin", "- {src: k8s.gcr.io/coredns, dest: docker.io/library/coredns}\n", "images_origin.yaml:1:35: dest 'docker.io/library/coredns' must be a site repository without registry host" },
        { "images-origin", "- {src: k8s.gcr.io/coredns, dst: library/coredns}\n", "images_origin.yaml:1:29: unknown key 'dst' (did you mean 'dest'?)" },
        { "images-origin", "- {src: k8s.gcr.io/coredns}\n", "images_origin.yaml:1:3: the entry has no dest" },
        { "images-origin", "src: k8s.gcr.io/coredns\ndest: library/coredns\n", "images_origin.yaml:1:1: expected a list of {src: <upstream repository>, dest: <site repository>}" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void What_the_schema_refuses_the_reader_refuses_at_its_place(string schema, string yaml, string problem)
    {
        Assert.False(SchemaAccepts(schema, yaml, out _), $"the schema accepts:\n{yaml}");
        var problems = ReaderProblems(schema, yaml);
        Assert.Contains(problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }
}
