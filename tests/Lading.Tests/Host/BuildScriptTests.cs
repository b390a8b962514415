using Lading.Tests.Fixtures;

namespace Lading.Tests.Host;

/// <summary>build.sh as Jenkins and engineers call it: a real process, the real host.</summary>
public sealed class BuildScriptTests : IDisposable
{
    private static readonly string BuildScript = Path.Combine(Requires.RepositoryRoot, "build.sh");
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private ShellResult Build(params string[] args) => Build(null, args);

    private ShellResult Build(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Shell.Run("bash", [BuildScript, .. args], _folder.Path, environment, TimeSpan.FromMinutes(5));

    [Fact]
    public void Description_tree_and_plan_work_from_a_checkout()
    {
        var description = Build("--description");
        var tree = Build("--tree", "--target=ShowSettings");
        var plan = Build("--plan", "--target=Default");

        Assert.True(description.ExitCode == 0, description.All);
        Assert.Contains("ShowSettings", description.Output);
        Assert.True(tree.ExitCode == 0, tree.All);
        Assert.Contains("ShowSettings", tree.Output);
        Assert.True(plan.ExitCode == 0, plan.All);
        Assert.Contains("flowchart LR", plan.Output);
    }

    [Fact]
    public void An_unknown_target_exits_1_and_lists_the_targets()
    {
        var run = Build("--target=Relase");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'Relase' does not exist", run.All);
        Assert.Contains("ShowSettings", run.All);
    }

    [Fact]
    public void A_recipe_with_three_mistakes_fails_before_any_task_with_their_lines()
    {
        _folder.Write("recipes/bad.yaml", "name: platform\nforge:\n  kind: bitbucket\nimages:\n  concurrency: -1\nupload:\n  passwordEnv: hunter2-literal\n");

        var run = Build("--target=ShowSettings", "--recipe=recipes/bad.yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("3 problems", run.All);
        Assert.Contains("recipes/bad.yaml:3:9:", run.All);
        Assert.Contains("recipes/bad.yaml:5:16:", run.All);
        Assert.Contains("recipes/bad.yaml:7:16:", run.All);
        Assert.DoesNotContain("ShowSettings succeeded", run.All);
        Assert.Contains("\"result\": \"failed\"", File.ReadAllText(_folder.Combine("artifacts", "summary.json")));
    }

    [Fact]
    public void Settings_come_from_recipe_then_environment_then_command_line_and_secrets_stay_hidden()
    {
        const string token = "glpat-0123456789abcdef";
        _folder.Write("recipes/r.yaml", "branch: recipe-branch\noutput: recipe-out\nname: recipe-name\nforge:\n  kind: gitlab\n  tokenEnv: GITLAB_TOKEN\n");

        var run = Build(
            new Dictionary<string, string> { ["LADING_OUTPUT"] = "env-out", ["LADING_BRANCH"] = "env-branch", ["GITLAB_TOKEN"] = token },
            "--target=ShowSettings", "--recipe=recipes/r.yaml", "--branch=arg-branch");

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Matches(@"branch\s+│\s+arg-branch\s+│\s+--branch", run.Output);
        Assert.Matches(@"output\s+│\s+env-out\s+│\s+environment LADING_OUTPUT", run.Output);
        Assert.Matches(@"name\s+│\s+recipe-name\s+│\s+recipe recipes/r.yaml:3:7", run.Output);
        Assert.Matches(@"forge\.tokenEnv\s+│\s+GITLAB_TOKEN \(set\)", run.Output);
        Assert.DoesNotContain(token, run.All);
        Assert.True(File.Exists(_folder.Combine("env-out", "summary.json")));
        Assert.DoesNotContain(token, File.ReadAllText(_folder.Combine("env-out", "summary.json")));
    }

    [Fact]
    public void A_mistyped_target_suggests_the_one_meant()
    {
        var run = Build("--target=Pakage");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the target 'Pakage' does not exist (did you mean 'Package'?).", run.All);
    }

    [Fact]
    public void A_dry_run_of_package_from_a_fresh_checkout_builds_nothing_and_the_log_has_no_colour_codes()
    {
        var example = Path.Combine(Requires.RepositoryRoot, "recipes", "example");

        var run = Build(
            new Dictionary<string, string> { ["TERM"] = "xterm-256color" },
            "--dry-run", "--target=Package", "--name=example", $"--release-repo={Path.Combine(example, "platform-release")}",
            $"--source-registry=oci:{Path.Combine(example, "images")}", $"--cache={_folder.Combine("cache")}");

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("[dry run] would run AssemblePackage", run.Output);
        Assert.Equal(["summary.json", "summary.md"], Directory.GetFiles(_folder.Combine("artifacts")).Select(Path.GetFileName).Order());
        Assert.False(Directory.Exists(_folder.Combine("work")));
        Assert.Contains("\"dryRun\": true", File.ReadAllText(_folder.Combine("artifacts", "summary.json")));
        Assert.DoesNotContain("\u001b[", run.All);
    }

    [Fact]
    public void An_unknown_option_fails_with_the_nearest_setting()
    {
        var run = Build("--target=ShowSettings", "--relase-repo=x", "--insecure-registry=registry.local:5000");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("unknown option --relase-repo (did you mean '--release-repo'?)", run.All);
        Assert.DoesNotContain("unknown option --insecure-registry", run.All);
    }
}
