using Cake.Frosting;
using Lading.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Lading.Tests.Host;

/// <summary>Nothing on the command line is silently ignored: unknown options, mistyped targets and folders fail before any task.</summary>
public sealed class CommandLineTests
{
    private readonly Journal _journal = new();
    private readonly List<string> _refused = [];

    private CakeHost Host(IKnownArguments? known = null)
    {
        var host = new CakeHost()
            .UseContext<JournalContext>()
            .UseLifetime<JournalLifetime>()
            .UseTaskLifetime<JournalTaskLifetime>()
            .ConfigureServices(s =>
            {
                s.AddSingleton(_journal);
                s.AddSingleton<IRefusedRunObserver>(new RecordingObserver(_refused));
            });
        foreach (var task in new[] { typeof(TaskA), typeof(TaskB), typeof(TaskC), typeof(Before), typeof(Plans), typeof(Echo) })
        {
            host.ConfigureServices(s => s.AddSingleton(typeof(IFrostingTask), task));
        }

        if (known is not null)
        {
            host.ConfigureServices(s => s.AddSingleton(known));
        }

        return host;
    }

    private static readonly IKnownArguments Known = new KnownArguments(
        ["release-repo", "version", "insecure-registries", "branch", "skip-b"],
        new Dictionary<string, string> { ["insecure-registry"] = "insecure-registries" });

    [Fact]
    public void An_unknown_option_fails_before_any_task_with_the_nearest_known_one()
    {
        var run = HostHarness.Run(Host(Known), "--target=Echo", "--relase-repo=https://git.example.com/r.git", "--versoin", "v1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Error: unknown option --relase-repo (did you mean '--release-repo'?).", run.Output);
        Assert.Contains("Error: unknown option --versoin (did you mean '--version'?).", run.Output);
        Assert.Empty(_journal.Entries);
        Assert.Equal(["Echo: unknown option --relase-repo (did you mean '--release-repo'?).\nunknown option --versoin (did you mean '--version'?)."], _refused);
    }

    [Fact]
    public void A_mistyped_host_option_is_refused_too()
    {
        var run = HostHarness.Run(Host(Known), "--target=Echo", "--exclusiv");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("unknown option --exclusiv (did you mean '--exclusive'?)", run.Output);
        Assert.Empty(_journal.Entries);
    }

    [Fact]
    public void Without_a_list_of_known_arguments_every_argument_reaches_the_build_as_in_frosting()
    {
        var run = HostHarness.Run(Host(), "--target=Echo", "--anything=goes");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("anything=goes", _journal.Entries);
    }

    [Fact]
    public void Dry_run_with_a_dash_is_a_dry_run()
    {
        var run = HostHarness.Run(Host(Known), "--dry-run", "--target=Plans");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Plans:dry", _journal.Entries);
        Assert.DoesNotContain("A", _journal.Entries);
    }

    [Fact]
    public void An_alias_reaches_the_build_under_the_name_it_stands_for()
    {
        HostHarness.Run(Host(Known), "--target=Echo", "--insecure-registry=registry.local:5000");

        Assert.Contains("insecure-registries=registry.local:5000", _journal.Entries);
    }

    [Fact]
    public void A_value_after_a_space_works_like_one_after_an_equals_sign_for_every_option()
    {
        HostHarness.Run(Host(Known), "--target", "Echo", "--version", "v2.10.2", "--branch", "release-2.10", "--skip-b");

        Assert.Contains("version=v2.10.2", _journal.Entries);
        Assert.Contains("branch=release-2.10", _journal.Entries);
        Assert.Contains("skip-b=true", _journal.Entries);
        Assert.Contains("target=Echo", _journal.Entries);
    }

    [Fact]
    public void Version_alone_still_prints_the_version()
    {
        var run = HostHarness.Run(Host(Known), "--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"Lading\.Tests \d+\.\d+\.\d+", run.Output);
        Assert.Empty(_journal.Entries);
        Assert.Empty(_refused);
    }

    [Fact]
    public void A_working_folder_that_does_not_exist_is_refused_before_any_task()
    {
        var run = HostHarness.Run(Host(Known), "--target=Echo", "-w", "/nonexistent/lading-folder");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Error: the working folder '/nonexistent/lading-folder' does not exist (--working, -w).", run.Output);
        Assert.Empty(_journal.Entries);
        Assert.Single(_refused);
    }

    [Fact]
    public void A_mistyped_target_is_told_to_the_observer()
    {
        HostHarness.Run(Host(Known), "--target=Eco");

        var refused = Assert.Single(_refused);
        Assert.StartsWith("Eco: the target 'Eco' does not exist (did you mean 'Echo'?).", refused);
    }

    [Fact]
    public void A_target_whose_should_run_says_no_is_skipped_and_the_build_succeeds()
    {
        var run = HostHarness.Run(Host(Known), "--target=B", "--skip-b");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("-B:skipped", _journal.Entries);
        Assert.DoesNotContain("B", _journal.Entries);
        Assert.Contains("Teardown:ok", _journal.Entries);
    }

    [Fact]
    public void Tree_shows_the_target_and_its_dependencies_only()
    {
        var run = HostHarness.Run(Host(Known), "--target=C", "--tree");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("C\n├─A\n│ └─Before\n└─B\n", run.Output);
        Assert.Empty(_journal.Entries);
    }

    private sealed class RecordingObserver(List<string> refused) : IRefusedRunObserver
    {
        public void Refused(string target, string reason) => refused.Add($"{target}: {reason.ReplaceLineEndings("\n")}");
    }
}
