using System.Text.RegularExpressions;
using Lading.Release;

namespace Lading.Tests.Release;

public sealed class TagResolverTests
{
    [Theory]
    [InlineData("v1.2", "v1.2", true)]
    [InlineData("v1.2", "v1.2.0", true)]
    [InlineData("v1.2", "v1.2.7-rc.1", true)]
    [InlineData("v1.2", "v1.2-hotfix", true)]
    [InlineData("v1.2", "v1.20.5", false)]
    [InlineData("v1.2", "v1.3.0", false)]
    [InlineData("v1.2", "controller-v1.2.0", false)]
    [InlineData("v1.2", "v1.2_0", false)]
    [InlineData("controller-v1.14", "controller-v1.14.3", true)]
    [InlineData("controller-v1.14", "v1.14.3", false)]
    [InlineData("controller-v1.14", "controller-v1.140.0", false)]
    [InlineData("release/v2.0", "release/v2.0.1", true)]
    [InlineData("release/v2.0", "v2.0.1", false)]
    public void A_tag_is_on_a_line_when_it_equals_or_continues_the_base_version(string baseVersion, string tag, bool onLine)
    {
        Assert.Equal(onLine, new ReleaseLine(baseVersion).Contains(tag));
    }

    [Fact]
    public void Newest_tag_ignores_other_release_lines()
    {
        var tags = Lightweight("v1.1.9", "v1.2.0", "v1.2.3", "v1.20.5", "v1.3.0", "v2.0.0", "v1.2.10", "v1.2.2");

        var resolved = TagResolver.Resolve(tags, "v1.2");

        Assert.Equal("v1.2.10", resolved.Newest?.Name);
        Assert.Equal(["v1.2.10", "v1.2.3", "v1.2.2", "v1.2.0"], resolved.Candidates.Select(t => t.Name));
    }

    [Fact]
    public void A_release_outranks_its_pre_releases_which_sort_by_semver_not_by_text()
    {
        var tags = Lightweight("v1.2.0-alpha.2", "v1.2.0-alpha.10", "v1.2.0-rc", "v1.2.0-beta");

        Assert.Equal("v1.2.0-rc", TagResolver.Resolve(tags, "v1.2").Newest?.Name);
        Assert.Equal("v1.2.0", TagResolver.Resolve([.. tags, GitTag.Lightweight("v1.2.0")], "v1.2").Newest?.Name);
        Assert.Equal(
            ["v1.2.0-rc", "v1.2.0-beta", "v1.2.0-alpha.10", "v1.2.0-alpha.2"],
            TagResolver.Resolve(tags, "v1.2").Candidates.Select(t => t.Name));
    }

    [Fact]
    public void A_tag_family_resolves_within_its_prefix()
    {
        var tags = Lightweight("controller-v1.14.2", "controller-v1.14.10", "controller-v1.15.0", "webhook-v1.14.99", "v1.14.50");

        var resolved = TagResolver.Resolve(tags, "controller-v1.14");

        Assert.Equal("controller-v1.14.10", resolved.Newest?.Name);
        Assert.Equal("1.14.10", $"{resolved.Version!.Major}.{resolved.Version.Minor}.{resolved.Version.Patch}");
    }

    [Fact]
    public void Tags_containing_slashes_resolve()
    {
        var resolved = TagResolver.Resolve(Lightweight("release/v2.0.1", "release/v2.0.3", "release/v2.1.0"), "release/v2.0");

        Assert.Equal("release/v2.0.3", resolved.Newest?.Name);
    }

    [Fact]
    public void Tags_on_the_line_that_are_not_semver_are_set_aside_with_a_reason()
    {
        var resolved = TagResolver.Resolve(Lightweight("v1.2", "v1.2-hotfix", "v1.2.1"), "v1.2");

        Assert.Equal("v1.2.1", resolved.Newest?.Name);
        Assert.Equal(["v1.2", "v1.2-hotfix"], resolved.Skipped.Select(s => s.Tag.Name));
        Assert.All(resolved.Skipped, s => Assert.Contains("not a SemVer", s.Reason));
    }

    [Fact]
    public void With_a_message_rule_only_annotated_tags_whose_message_matches_qualify()
    {
        GitTag[] tags =
        [
            GitTag.Lightweight("v1.2.9"),
            GitTag.WithMessage("v1.2.8", "work in progress"),
            GitTag.WithMessage("v1.2.7", "Release v1.2.7\n\nqa: passed"),
            GitTag.WithMessage("v1.2.6", "Release v1.2.6\n\nqa: passed"),
        ];

        var resolved = TagResolver.Resolve(tags, "v1.2", new Regex("^qa: passed$", RegexOptions.Multiline));

        Assert.Equal("v1.2.7", resolved.Newest?.Name);
        Assert.Equal("Release v1.2.7", resolved.Newest?.Subject);
        Assert.Contains(resolved.Skipped, s => s.Tag.Name == "v1.2.9" && s.Reason.Contains("lightweight"));
        Assert.Contains(resolved.Skipped, s => s.Tag.Name == "v1.2.8" && s.Reason.Contains("does not match"));
    }

    [Fact]
    public void Without_a_message_rule_lightweight_and_annotated_tags_both_qualify()
    {
        var resolved = TagResolver.Resolve([GitTag.WithMessage("v1.2.1", "x"), GitTag.Lightweight("v1.2.2")], "v1.2");

        Assert.Equal("v1.2.2", resolved.Newest?.Name);
    }

    [Fact]
    public void Equal_precedence_is_settled_by_the_later_date()
    {
        var early = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        GitTag[] tags = [GitTag.Lightweight("v1.2.0+build.1", early), GitTag.Lightweight("v1.2.0+build.2", early.AddDays(1))];

        Assert.Equal("v1.2.0+build.2", TagResolver.Resolve(tags, "v1.2").Newest?.Name);
        Assert.Equal("v1.2.0+build.2", TagResolver.Resolve(tags.Reverse(), "v1.2").Newest?.Name);
    }

    [Fact]
    public void No_tag_on_the_line_resolves_to_none()
    {
        var resolved = TagResolver.Resolve(Lightweight("v1.3.0", "v1.20.0"), "v1.2");

        Assert.Null(resolved.Newest);
        Assert.Null(resolved.Version);
        Assert.Empty(resolved.Candidates);
    }

    [Fact]
    public void A_component_moves_to_the_newest_tag_of_its_line_with_date_and_subject()
    {
        var date = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        var repo = Repo("v1.2", "v1.2.0");

        var change = TagResolver.ResolveFor(repo, [GitTag.Lightweight("v1.2.0"), GitTag.WithMessage("v1.2.4", "Release 1.2.4\nbody", date), GitTag.Lightweight("v1.3.0")]);

        Assert.Equal(("v1.2.0", "v1.2.4", date, "Release 1.2.4", null, true), (change.OldTag, change.NewTag, change.Date, change.Subject, change.Note, change.Changed));
    }

    [Fact]
    public void A_component_without_base_version_keeps_its_tag()
    {
        var change = TagResolver.ResolveFor(Repo(null, "v0.5.3"), Lightweight("v0.5.3", "v0.6.0"));

        Assert.False(change.Changed);
        Assert.Contains("no baseVersion", change.Note);
    }

    [Fact]
    public void A_component_never_moves_back_to_an_older_tag()
    {
        var change = TagResolver.ResolveFor(Repo("v1.2", "v1.2.5"), [GitTag.Lightweight("v1.2.5"), GitTag.WithMessage("v1.2.3", "qa: passed")], new Regex("qa: passed"));

        Assert.Equal("v1.2.5", change.NewTag);
        Assert.Contains("older than v1.2.5", change.Note);
    }

    [Fact]
    public void A_component_whose_line_has_no_tag_keeps_its_tag_and_says_why()
    {
        var change = TagResolver.ResolveFor(Repo("v2.0", "v1.9.0"), Lightweight("v1.9.0", "v2.0-beta"));

        Assert.Equal("v1.9.0", change.NewTag);
        Assert.Contains("no qualifying tag (1 set aside) on release line v2.0", change.Note);
    }

    [Fact]
    public void Ls_remote_output_gives_tags_and_which_are_annotated()
    {
        const string output = "1111111111111111111111111111111111111111\trefs/tags/v1.2.0\n"
            + "2222222222222222222222222222222222222222\trefs/tags/v1.2.1\n"
            + "3333333333333333333333333333333333333333\trefs/tags/v1.2.1^{}\n"
            + "4444444444444444444444444444444444444444\trefs/tags/release/v2.0.0\r\n"
            + "5555555555555555555555555555555555555555\trefs/heads/main\n";

        var tags = Lading.Tools.Git.GitRunner.ParseLsRemote(output.Split('\n'));

        Assert.Equal([("release/v2.0.0", false), ("v1.2.0", false), ("v1.2.1", true)], tags.Select(t => (t.Name, t.IsAnnotated)));
    }

    private static ComponentRepo Repo(string? baseVersion, string currentTag) =>
        new("acme/cyclone", baseVersion, currentTag, ["manifests/cyclone"], "addons", "repos/devops.yaml", 1, 3);

    private static GitTag[] Lightweight(params string[] names) => names.Select(n => GitTag.Lightweight(n)).ToArray();
}
