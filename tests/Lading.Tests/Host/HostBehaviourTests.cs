using Cake.Core;
using Cake.Frosting;
using Lading.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Lading.Tests.Host;

public sealed class HostBehaviourTests
{
    private readonly Journal _journal = new();

    private CakeHost Host(params Type[] tasks)
    {
        var host = new CakeHost()
            .UseContext<JournalContext>()
            .UseLifetime<JournalLifetime>()
            .UseTaskLifetime<JournalTaskLifetime>()
            .ConfigureServices(s => s.AddSingleton(_journal));
        foreach (var task in tasks)
        {
            host.ConfigureServices(s => s.AddSingleton(typeof(IFrostingTask), task));
        }

        return host;
    }

    private static readonly Type[] All =
    [
        typeof(TaskA), typeof(TaskB), typeof(TaskC), typeof(Pipeline), typeof(Before), typeof(Fails), typeof(Tolerated),
        typeof(AfterTolerated), typeof(AfterFails), typeof(Plans), typeof(Echo), typeof(Handled), typeof(AfterHandled),
    ];

    private IEnumerable<string> TaskEntries => _journal.Entries.Where(e => !e.StartsWith('+') && !e.StartsWith('-') && !e.StartsWith("Setup") && !e.StartsWith("Teardown"));

    [Fact]
    public void Dependencies_run_first_in_declaration_order_with_dependees_before_them()
    {
        var run = HostHarness.Run(Host(All), "--target=Pipeline");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Before", "A", "B", "C"], TaskEntries);
    }

    [Fact]
    public void Lifetimes_wrap_the_build_and_every_task()
    {
        HostHarness.Run(Host(All), "--target=C");

        Assert.Equal(
            ["Setup:C:Before,A,B,C", "+Before", "Before", "-Before", "+A", "A", "-A", "+B", "B", "-B", "+C", "C", "-C", "Teardown:ok"],
            _journal.Entries);
    }

    [Fact]
    public void ShouldRun_false_skips_only_that_task()
    {
        var run = HostHarness.Run(Host(All), "--target=C", "--skip-b");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Before", "A", "C"], TaskEntries);
        Assert.Contains("-B:skipped", _journal.Entries);
    }

    [Fact]
    public void Only_overridden_members_become_actions_criteria_and_handlers()
    {
        var run = HostHarness.Run(Host(All), "--target=A");
        var tasks = run.Engine!.Tasks.Cast<CakeTask>().ToDictionary(t => t.Name);

        Assert.Empty(tasks["Pipeline"].Actions);
        Assert.Single(tasks["A"].Actions);
        Assert.Empty(tasks["A"].Criterias);
        Assert.Single(tasks["B"].Criterias);
        Assert.Null(tasks["A"].ErrorHandler);
        Assert.Null(tasks["A"].FinallyHandler);
        Assert.NotNull(tasks["Handled"].ErrorHandler);
        Assert.NotNull(tasks["Fails"].FinallyHandler);
        Assert.Equal("first", tasks["A"].Description);
    }

    [Fact]
    public void Exclusive_runs_the_target_without_its_dependencies()
    {
        HostHarness.Run(Host(All), "--target=C", "--exclusive");

        Assert.Equal(["C"], TaskEntries);
    }

    [Fact]
    public void A_failing_task_exits_1_after_its_finally_handler_and_stops_the_build()
    {
        var run = HostHarness.Run(Host(All), "--target=AfterFails");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Fails", "Finally"], TaskEntries);
        Assert.Contains("Teardown:failed", _journal.Entries);
        Assert.Contains("broken on purpose", run.Output);
    }

    [Fact]
    public void A_CakeException_sets_the_exit_code()
    {
        var run = HostHarness.Run(Host(typeof(Fails)), "--target=Fails", "--exit-code=7");

        Assert.Equal(7, run.ExitCode);
    }

    [Fact]
    public void An_error_handler_handles_the_error_and_the_build_goes_on()
    {
        var run = HostHarness.Run(Host(All), "--target=AfterHandled");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["OnError:handled on purpose", "AfterHandled"], TaskEntries);
    }

    [Fact]
    public void ContinueOnError_lets_the_build_go_on()
    {
        var run = HostHarness.Run(Host(All), "--target=AfterTolerated");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Tolerated", "AfterTolerated"], TaskEntries);
    }

    [Fact]
    public void An_unknown_target_fails_and_lists_the_targets_that_exist_in_one_line()
    {
        var run = HostHarness.Run(Host(All), "--target=Nope");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("'Nope' does not exist.", run.Output);
        Assert.Contains("Targets: A, AfterFails, AfterHandled, AfterTolerated, B, Before, C, Echo, Fails, Handled, Pipeline, Plans, Tolerated (--description describes them).", run.Output);
        Assert.Empty(_journal.Entries);
    }

    [Fact]
    public void A_mistyped_target_gets_the_nearest_one()
    {
        var run = HostHarness.Run(Host(All), "--target=Pipelin");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the target 'Pipelin' does not exist (did you mean 'Pipeline'?).", run.Output);
        Assert.Empty(_journal.Entries);
    }

    [Fact]
    public void Dry_run_runs_only_dry_run_aware_tasks_and_they_see_IsDryRun()
    {
        var run = HostHarness.Run(Host(All), "--target=Plans", "--dryrun");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Plans:dry"], TaskEntries);
        Assert.Contains("would run A", run.Output);
        Assert.StartsWith("Setup:Plans", _journal.Entries[0]);
    }

    [Theory]
    [InlineData("--noop")]
    [InlineData("--whatif")]
    public void Noop_and_whatif_mean_dry_run(string flag)
    {
        HostHarness.Run(Host(All), "--target=Plans", flag);

        Assert.Equal(["Plans:dry"], TaskEntries);
    }

    [Fact]
    public void Without_dry_run_the_same_task_runs_for_real()
    {
        HostHarness.Run(Host(All), "--target=Plans");

        Assert.Equal(["Before", "A", "Plans:real"], TaskEntries);
    }

    [Fact]
    public void Tree_prints_the_dependency_tree_and_runs_nothing()
    {
        var run = HostHarness.Run(Host(All), "--target=Pipeline", "--tree");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(_journal.Entries);
        var lines = run.Output.Split('\n');
        var pipeline = Array.FindIndex(lines, l => l.TrimEnd().EndsWith("Pipeline", StringComparison.Ordinal));
        var c = Array.FindIndex(lines, l => l.TrimEnd().EndsWith("C", StringComparison.Ordinal));
        Assert.True(pipeline >= 0 && c > pipeline, run.Output);
        Assert.Contains(lines, l => l.TrimEnd().EndsWith("B", StringComparison.Ordinal));
    }

    [Fact]
    public void Description_lists_every_task_with_its_description()
    {
        var run = HostHarness.Run(Host(All), "--description");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("needs A then B", run.Output);
        Assert.Contains("AfterTolerated", run.Output);
        Assert.Empty(_journal.Entries);
    }

    [Fact]
    public void Plan_prints_the_target_graph_as_a_mermaid_flowchart()
    {
        var run = HostHarness.Run(Host(All), "--target=C", "--plan");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("```mermaid", run.Output);
        Assert.Contains("flowchart LR", run.Output);
        Assert.Contains("A --> C", run.Output);
        Assert.Contains("B --> C", run.Output);
        Assert.Contains("Before --> A", run.Output);
        Assert.DoesNotContain("Pipeline", run.Output);
        Assert.Empty(_journal.Entries);
    }

    [Fact]
    public void Every_other_argument_reaches_the_build_with_target_and_dryrun()
    {
        var folder = Path.GetTempPath().TrimEnd('/');
        HostHarness.Run(Host(typeof(Echo)), "--target", "Echo", "--release-repo=file:///srv/repo", "--branch", "main", "--flag", $"--working={folder}", "-v=verbose");

        Assert.Contains("release-repo=file:///srv/repo", _journal.Entries);
        Assert.Contains("branch=main", _journal.Entries);
        Assert.Contains("flag=true", _journal.Entries);
        Assert.Contains("target=Echo", _journal.Entries);
        Assert.Contains("cwd=" + folder, _journal.Entries);
    }

    [Fact]
    public void A_value_with_a_positional_word_is_refused_with_usage()
    {
        var exit = Host(All).Run(["Pipeline"]);

        Assert.NotEqual(0, exit);
    }

    [Fact]
    public void Version_and_info_print_without_running_tasks()
    {
        var version = HostHarness.Run(Host(All), "--version");
        var info = HostHarness.Run(Host(All), "--info");

        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"Lading\.Tests \d+\.\d+\.\d+.* on Cake 7\.0\.0", version.Output);
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("on Cake 7.0.0", info.Output);
        Assert.Empty(_journal.Entries);
    }

    [Fact]
    public void Version_with_a_value_is_a_build_argument()
    {
        HostHarness.Run(Host(typeof(Echo)), "--target=Echo", "--version=v2.10.2");

        Assert.Contains("version=v2.10.2", _journal.Entries);
    }

    [Fact]
    public void Two_task_types_with_one_name_are_refused()
    {
        var run = HostHarness.Run(Host(typeof(TaskA), typeof(DuplicateA)), "--target=A");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("share the name 'A'", run.Output);
    }
}

[TaskName("A")]
public sealed class DuplicateA : FrostingTask<JournalContext>
{
}
