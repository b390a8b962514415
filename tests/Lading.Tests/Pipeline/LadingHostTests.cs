using System.Text.Json;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Recipes;
using Lading.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Lading.Tests.Pipeline;

[TaskName(nameof(LeaksSecret))]
public sealed class LeaksSecret : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var token = context.Settings.Secret(SettingKeys.ForgeTokenEnv)!;
        context.Log.Information("calling the forge with token {0}", token);
        context.Record("url", $"https://x:{token}@git.example.com");
        throw new InvalidOperationException($"forge refused token {token}");
    }
}

[TaskName(nameof(NeedsRepo))]
[Needs(SettingKeys.ReleaseRepo)]
[Needs(SettingKeys.Version)]
public sealed class NeedsRepo : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => context.Record("repo", context.Settings.Text(SettingKeys.ReleaseRepo)!);
}

[TaskName(nameof(SkipsItself))]
[IsDependentOn(typeof(NeedsRepo))]
public sealed class SkipsItself : FrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context) => context.RunIf(false, "no chart changed since v2.10.1");

    public override void Run(BuildContext context) => throw new InvalidOperationException("must not run");
}

[TaskName(nameof(PeeksAtSummary))]
public sealed class PeeksAtSummary : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        context.Record("summary during the run", JsonDocument.Parse(File.ReadAllText(Path.Combine(context.Paths.Output, "summary.json"))).RootElement.GetProperty("result").GetString()!);
}

[TaskName(nameof(Finale))]
[IsDependentOn(typeof(SkipsItself))]
public sealed class Finale : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => context.Record("done", "yes");
}

public sealed class LadingHostTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private HostRun Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var host = LadingHost.Create()
            .ConfigureServices(s =>
            {
                s.AddSingleton<IFrostingTask, LeaksSecret>();
                s.AddSingleton<IFrostingTask, NeedsRepo>();
                s.AddSingleton<IFrostingTask, SkipsItself>();
                s.AddSingleton<IFrostingTask, Finale>();
                s.AddSingleton<IFrostingTask, PeeksAtSummary>();
                s.AddSingleton<ICakeEnvironment>(new TestEnvironment(environment ?? new Dictionary<string, string>(), _folder.Path));
            });
        var console = new RecordingConsole();

        // Everything a build prints goes through the masking console, as build.sh runs it.
        host.ConfigureServices(s => s.AddSingleton<IConsole>(sp => new MaskingConsole(console, sp.GetRequiredService<SecretMask>())));
        return HostHarness.RunWithConsole(host, console, args);
    }

    [Fact]
    public void A_recipe_with_three_mistakes_reports_all_three_and_runs_no_task()
    {
        _folder.Write("recipes/bad.yaml", "name: platform\nrelaseRepo: x\nimages:\n  layout: zip\nforge:\n  tokenEnv: ghp_abcdefgh\n");

        var run = Run(null, "--target=ShowSettings", "--recipe=recipes/bad.yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("3 problems", run.Output);
        Assert.Contains("recipes/bad.yaml:2:1: unknown key 'relaseRepo'", run.Output);
        Assert.Contains("recipes/bad.yaml:4:11: 'images.layout' expects one of registry, oci, both, not 'zip'", run.Output);
        Assert.Contains("recipes/bad.yaml:6:13: 'forge.tokenEnv' names the environment variable", run.Output);
        Assert.DoesNotContain("ShowSettings succeeded", run.Output);
        using var summary = JsonDocument.Parse(File.ReadAllText(_folder.Combine("artifacts", "summary.json")));
        Assert.Equal("failed", summary.RootElement.GetProperty("result").GetString());
        Assert.Contains("recipes/bad.yaml:2:1: unknown key 'relaseRepo'", summary.RootElement.GetProperty("error").GetString());
        Assert.Empty(summary.RootElement.GetProperty("tasks").EnumerateArray());
    }

    [Fact]
    public void A_secret_from_the_environment_never_appears_in_output_or_artifacts()
    {
        const string token = "tok-9f8e7d6c5b4a";
        _folder.Write("recipes/r.yaml", "forge:\n  kind: github\n  tokenEnv: FORGE_TOKEN\n");

        var run = Run(new Dictionary<string, string> { ["FORGE_TOKEN"] = token }, "--target=LeaksSecret", "--recipe=recipes/r.yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("calling the forge with token ***", run.Output);
        Assert.Contains("forge refused token ***", run.Output);
        Assert.DoesNotContain(token, run.Output);
        var json = File.ReadAllText(_folder.Combine("artifacts", "summary.json"));
        var markdown = File.ReadAllText(_folder.Combine("artifacts", "summary.md"));
        Assert.DoesNotContain(token, json + markdown);
        Assert.Contains("https://x:***@git.example.com", json);
        Assert.Contains("forge refused token ***", markdown);
    }

    [Fact]
    public void Missing_settings_fail_before_any_task_with_every_missing_value()
    {
        var run = Run(null, "--target=SkipsItself");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("2 problems", run.Output);
        Assert.Contains("missing required value 'releaseRepo' in the recipe, LADING_RELEASE_REPO or --release-repo (needed by NeedsRepo)", run.Output);
        Assert.Contains("missing required value 'version'", run.Output);
        Assert.DoesNotContain("NeedsRepo succeeded", run.Output);
    }

    [Fact]
    public void A_job_parameter_left_blank_is_refused_rather_than_built_with()
    {
        var run = Run(null, "--target=NeedsRepo", "--release-repo=file:///srv/r", "--version=");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--version: is empty; give it a value or leave the option out", run.Output);
        Assert.DoesNotContain("NeedsRepo succeeded", run.Output);
    }

    [Fact]
    public void Exclusive_asks_only_for_the_settings_of_the_task_it_runs()
    {
        var run = Run(null, "--target=Finale", "--exclusive");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Finale succeeded", run.Output);
        Assert.DoesNotContain("releaseRepo", run.Output);
    }

    [Fact]
    public void The_summary_lists_each_task_with_status_outputs_and_skip_reason()
    {
        var run = Run(new Dictionary<string, string> { ["LADING_VERSION"] = "v2.10.2" }, "--target=Finale", "--release-repo=file:///srv/platform-release");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Skipping: no chart changed since v2.10.1", run.Output);
        using var summary = JsonDocument.Parse(File.ReadAllText(_folder.Combine("artifacts", "summary.json")));
        var root = summary.RootElement;
        Assert.Equal("Finale", root.GetProperty("target").GetString());
        Assert.Equal("succeeded", root.GetProperty("result").GetString());
        var tasks = root.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(["NeedsRepo", "SkipsItself", "Finale"], tasks.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("succeeded", tasks[0].GetProperty("status").GetString());
        Assert.Equal("file:///srv/platform-release", tasks[0].GetProperty("outputs").GetProperty("repo").GetString());
        Assert.Equal("skipped", tasks[1].GetProperty("status").GetString());
        Assert.Equal("no chart changed since v2.10.1", tasks[1].GetProperty("reason").GetString());
        var markdown = File.ReadAllText(_folder.Combine("artifacts", "summary.md"));
        Assert.Contains("| SkipsItself | skipped |", markdown);
    }

    [Fact]
    public void A_recipe_target_runs_the_tasks_it_names()
    {
        _folder.Write("recipes/nightly.yaml", "releaseRepo: file:///srv/r\nversion: v1.0.0\ntargets:\n  Nightly:\n    description: every night\n    dependsOn: [NeedsRepo]\n");

        var description = Run(null, "--description", "--recipe=recipes/nightly.yaml");
        var run = Run(null, "--target=Nightly", "--recipe=recipes/nightly.yaml");

        Assert.Contains("every night", description.Output);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("NeedsRepo succeeded", run.Output);
        Assert.Contains("\"Nightly\"", File.ReadAllText(_folder.Combine("artifacts", "summary.json")));
    }

    [Fact]
    public void A_recipe_target_naming_an_unknown_task_is_an_error_with_its_line()
    {
        _folder.Write("recipes/nightly.yaml", "targets:\n  Nightly:\n    dependsOn:\n      - NeedsRepo\n      - Relase\n");

        var run = Run(null, "--target=Nightly", "--recipe=recipes/nightly.yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("recipes/nightly.yaml:5:9: target 'Nightly' depends on 'Relase', which is no task", run.Output);
    }

    [Fact]
    public void Show_settings_tells_where_each_value_came_from()
    {
        _folder.Write("recipes/r.yaml", "branch: from-recipe\nregistry:\n  internal: harbor.example.com\n");

        var run = Run(new Dictionary<string, string> { ["LADING_REGISTRY"] = "env-registry:5000" }, "--target=ShowSettings", "--recipe=recipes/r.yaml", "--branch=from-argument");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"branch\s+│\s+from-argument\s+│\s+--branch", run.Output);
        Assert.Matches(@"registry\.internal\s+│\s+env-registry:5000\s+│\s+environment LADING_REGISTRY", run.Output);
        Assert.Matches(@"images\.layout\s+│\s+registry\s+│\s+default", run.Output);
    }

    [Fact]
    public void Targets_lists_every_target_with_its_command_line()
    {
        var run = Run(null, "--target=Targets");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("ShowSettings", run.Output);
        Assert.Matches(@"SkipsItself.*--release-repo=<releaseRepo>", run.Output);
        Assert.Matches(@"│ Inspect +│.*│ \./build\.sh --target=Inspect --package=<tar> +│", run.Output);
        Assert.Matches(@"│ PackageCharts +│.*│ part of Package +│", run.Output);
    }

    [Fact]
    public void Targets_gives_a_recipe_target_the_recipe_that_declares_it()
    {
        _folder.Write("recipes/nightly.yaml", "targets:\n  Nightly:\n    description: every night\n    dependsOn: [ShowSettings]\n");

        var run = Run(null, "--target=Targets", "--recipe=recipes/nightly.yaml");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"│ Nightly +│ every night +│ \./build\.sh --target=Nightly --recipe=recipes/nightly\.yaml +│", run.Output);
    }

    private JsonElement Summary() => JsonDocument.Parse(File.ReadAllText(_folder.Combine("artifacts", "summary.json"))).RootElement;

    [Fact]
    public void The_summary_says_running_until_the_end_and_replaces_an_earlier_one_at_the_start()
    {
        _folder.Write("artifacts/summary.json", "{\"target\": \"Package\", \"result\": \"succeeded\"}\n");

        var run = Run(null, "--target=PeeksAtSummary");

        Assert.True(run.ExitCode == 0, run.Output);
        var task = Assert.Single(Summary().GetProperty("tasks").EnumerateArray());
        Assert.Equal("running", task.GetProperty("outputs").GetProperty("summary during the run").GetString());
        Assert.Equal("succeeded", Summary().GetProperty("result").GetString());
    }

    [Fact]
    public void A_refused_option_leaves_a_failed_summary_in_place_of_the_earlier_one()
    {
        _folder.Write("artifacts/summary.json", "{\"target\": \"Package\", \"result\": \"succeeded\"}\n");

        var run = Run(null, "--target=Finale", "--relase-repo=file:///srv/r", "--dry-run");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("unknown option --relase-repo (did you mean '--release-repo'?)", run.Output);
        Assert.DoesNotContain("NeedsRepo", run.Output);
        var summary = Summary();
        Assert.Equal(("Finale", "failed", true), (summary.GetProperty("target").GetString(), summary.GetProperty("result").GetString(), summary.GetProperty("dryRun").GetBoolean()));
        Assert.Equal("unknown option --relase-repo (did you mean '--release-repo'?).", summary.GetProperty("error").GetString());
        Assert.Contains("# Finale: failed (dry run)", File.ReadAllText(_folder.Combine("artifacts", "summary.md")));
    }

    [Fact]
    public void A_mistyped_target_suggests_the_nearest_and_leaves_a_summary()
    {
        var run = Run(null, "--target=Finalle", "--output=out");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the target 'Finalle' does not exist (did you mean 'Finale'?).", run.Output);
        Assert.Contains("'Finalle' does not exist", File.ReadAllText(_folder.Combine("out", "summary.json")));
    }

    [Fact]
    public void The_summary_records_recipe_lading_version_dry_run_and_where_each_setting_came_from_with_secrets_masked()
    {
        const string token = "tok-5a4b3c2d1e";
        _folder.Write("recipes/r.yaml", "version: v2.10.2\nforge:\n  kind: github\n  tokenEnv: FORGE_TOKEN\n");

        var run = Run(new Dictionary<string, string> { ["FORGE_TOKEN"] = token }, "--target=NeedsRepo", "--recipe=recipes/r.yaml", "--dry-run",
            "--release-repo=https://bot:pa55-word@git.example.com/paas/r.git");

        Assert.True(run.ExitCode == 0, run.Output);
        var summary = Summary();
        Assert.Equal("recipes/r.yaml", summary.GetProperty("recipe").GetString());
        Assert.True(summary.GetProperty("dryRun").GetBoolean());
        Assert.Matches(@"^\d+\.\d+\.\d+", summary.GetProperty("lading").GetString());
        var settings = summary.GetProperty("settings").EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!, s => (s.GetProperty("value").GetString(), s.GetProperty("from").GetString()));
        Assert.Equal(("v2.10.2", "recipe recipes/r.yaml:1:10"), settings["version"]);
        Assert.Equal(("https://bot:***@git.example.com/paas/r.git", "--release-repo"), settings["releaseRepo"]);
        Assert.Equal(("FORGE_TOKEN", "recipe recipes/r.yaml:4:13"), settings["forge.tokenEnv"]);
        Assert.Equal(("artifacts", "default"), settings["output"]);
        var all = File.ReadAllText(_folder.Combine("artifacts", "summary.json")) + File.ReadAllText(_folder.Combine("artifacts", "summary.md")) + run.Output;
        Assert.DoesNotContain("pa55-word", all);
        Assert.DoesNotContain(token, all);
    }

    [Fact]
    public void Show_settings_masks_a_password_written_inside_a_url()
    {
        var run = Run(null, "--target=ShowSettings", "--release-repo=https://ci-bot:gl-s3cret@git.example.com/paas/r.git", "--upload=https://up:x7y8z9@nexus.example.com/raw/");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("https://ci-bot:***@git.example.com/paas/r.git", run.Output);
        Assert.Contains("https://up:***@nexus.example.com/raw/", run.Output);
        Assert.DoesNotContain("gl-s3cret", run.Output);
        Assert.DoesNotContain("x7y8z9", run.Output);
    }

    [Fact]
    public void The_reason_of_a_failure_is_printed_where_the_task_fails()
    {
        _folder.Write("recipes/r.yaml", "forge:\n  kind: github\n  tokenEnv: FORGE_TOKEN\n");

        var run = Run(new Dictionary<string, string> { ["FORGE_TOKEN"] = "tok-1234567" }, "--target=LeaksSecret", "--recipe=recipes/r.yaml");

        Assert.Equal(1, run.ExitCode);
        var failedLine = run.Output.Split('\n').Single(l => l.StartsWith("LeaksSecret failed in", StringComparison.Ordinal));
        Assert.EndsWith("s: forge refused token ***", failedLine);
        Assert.True(run.Output.IndexOf(failedLine, StringComparison.Ordinal) < run.Output.IndexOf("Summary:", StringComparison.Ordinal));
    }
}
