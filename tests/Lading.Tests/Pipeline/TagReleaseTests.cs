using Cake.Core;
using Lading.Recipes;
using Lading.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Lading.Tests.Pipeline;

public sealed class TagReleaseTests : IDisposable
{
    private readonly ReleaseWorld _world = new();
    private readonly string _origin;

    public TagReleaseTests()
    {
        _origin = Path.Combine(_world.Root, "origin.git");
        Shell.Run("git", ["clone", "--quiet", "--bare", _world.Release.Path, _origin]);
        _world.Release.Git("remote", "add", "origin", _origin);
        _world.Release.Git("fetch", "--quiet", "origin");
    }

    public void Dispose() => _world.Dispose();

    private HostRun Build(params string[] args) =>
        HostHarness.RunLading(_world.Root, null, [$"--release-repo={_world.Release.Path}", "--target=TagRelease", .. args]);

    private string Origin(params string[] args) => Shell.Run("git", ["-C", _origin, .. args]).Output.Trim();

    [Fact]
    public void A_minor_release_is_tagged_with_every_component_and_gets_its_release_branch()
    {
        var run = Build("--version=v2.11.0");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(_world.Release.Head, Origin("rev-parse", "v2.11.0^{commit}"));
        Assert.Equal("tag", Origin("cat-file", "-t", "v2.11.0"));
        var message = Origin("tag", "-l", "--format=%(contents)", "v2.11.0");
        Assert.Contains("acme/cyclone v1.2.0", message);
        Assert.Contains("acme/monitor v3.1.0", message);
        Assert.Equal(_world.Release.Head, Origin("rev-parse", "refs/heads/release-2.11"));
    }

    [Fact]
    public void A_patch_release_gets_no_branch_and_a_rerun_moves_nothing()
    {
        var first = Build("--version=v2.11.1");
        var second = Build("--version=v2.11.1");

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("already tags the branch head", second.Output);
        Assert.Equal(string.Empty, Origin("branch", "--list", "release-2.11"));
    }

    [Fact]
    public void An_existing_tag_elsewhere_is_never_moved()
    {
        Build("--version=v2.11.2");
        var tagged = _world.Release.Head;
        _world.Release.Write("later.txt", "later").Commit("later");

        var run = Build("--version=v2.11.2");
        var forced = Build("--version=v2.11.2", "--force=true");

        Assert.Equal(1, forced.ExitCode);
        Assert.Contains("unknown option --force", forced.Output);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("v2.11.2 already exists at " + tagged[..12], run.Output);
        Assert.Contains("never moved or replaced", run.Output);
        Assert.Equal(tagged, Origin("rev-parse", "v2.11.2^{commit}"));
    }

    [Fact]
    public void A_version_that_is_no_semver_is_refused()
    {
        var run = Build("--version=2.11");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--version=2.11 is no release version", run.Output);
    }
}
