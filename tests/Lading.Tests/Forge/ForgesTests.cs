using Lading.Forge;

namespace Lading.Tests.Forge;

public sealed class ForgesTests
{
    private static readonly ForgeConnection Connection = new(null, "tok-12345", "LADING_FORGE_TOKEN");

    [Theory]
    [InlineData("github", typeof(GitHubForge))]
    [InlineData("GitLab", typeof(GitLabForge))]
    [InlineData("none", typeof(NoForge))]
    public void The_recipe_kind_picks_the_forge(string kind, Type expected) =>
        Assert.IsType(expected, Forges.Create(kind, Connection));

    [Fact]
    public void An_unknown_kind_lists_the_known_ones()
    {
        var e = Assert.Throws<ForgeException>(() => Forges.Create("gitea", Connection));

        Assert.Contains("github, gitlab, none", e.Message);
    }

    [Fact]
    public async Task No_forge_opens_nothing_and_says_so()
    {
        var result = await new NoForge().ProposeAsync(new("paas/platform-release", "lading/release-v2.10.2", "main", "Release", ""), CancellationToken.None);

        Assert.Equal(PullRequestOutcome.NotOpened, result.Outcome);
        Assert.True(result.OpenedNothing);
        Assert.Null(result.Url);
        Assert.Contains("no pull request opened", result.Describe());
    }

    [Fact]
    public void A_proposal_prints_what_a_dry_run_would_open_without_its_body() =>
        Assert.Equal(
            "pull request from lading/release-v2.10.2 into release-2.10 on paas/platform-release: Release v2.10.2",
            new PullRequestProposal("paas/platform-release", "lading/release-v2.10.2", "release-2.10", "Release v2.10.2", "| a long table |").ToString());

    [Fact]
    public void A_connection_never_prints_its_token() =>
        Assert.DoesNotContain("tok-12345", Connection.ToString());

    [Fact]
    public async Task A_proposal_into_its_own_branch_is_refused()
    {
        var forge = Forges.Create("github", Connection);

        var e = await Assert.ThrowsAsync<ForgeException>(() => forge.ProposeAsync(new("paas/r", "main", "main", "Release", ""), CancellationToken.None));

        Assert.Contains("into itself", e.Message);
    }
}
