using Lading.Release;

namespace Lading.Tests.Release;

public sealed class SemVersionTests
{
    [Fact]
    public void Versions_sort_by_semver_precedence()
    {
        string[] expected =
        [
            "v1.0.0-alpha", "v1.0.0-alpha.1", "v1.0.0-alpha.beta", "v1.0.0-beta", "v1.0.0-beta.2", "v1.0.0-beta.11",
            "v1.0.0-rc.1", "v1.0.0", "v1.2.0-alpha.2", "v1.2.0-alpha.10", "v1.2.0-rc", "v1.2.0", "v1.2.1", "v1.10.0", "v2.0.0",
        ];

        var sorted = expected.Reverse().Select(SemVersion.Parse).Order().Select(v => v.Text);

        Assert.Equal(expected, sorted);
    }

    [Theory]
    [InlineData("1.2.3", "v1.2.3")]
    [InlineData("v1.2.3+build.5", "v1.2.3")]
    [InlineData("1.2.3-rc.1+a", "1.2.3-rc.1+b")]
    public void Leading_v_and_build_metadata_do_not_change_precedence(string left, string right)
    {
        Assert.Equal(0, SemVersion.Parse(left).CompareTo(SemVersion.Parse(right)));
        Assert.Equal(SemVersion.Parse(left), SemVersion.Parse(right));
    }

    [Theory]
    [InlineData("numeric identifiers sort before alphanumeric ones", "1.0.0-1", "1.0.0-a")]
    [InlineData("numeric identifiers compare as numbers", "1.0.0-rc.9", "1.0.0-rc.10")]
    [InlineData("numeric identifiers longer than any integer", "1.0.0-99999999999999999999998", "1.0.0-99999999999999999999999")]
    [InlineData("more identifiers win when the rest is equal", "1.0.0-rc", "1.0.0-rc.0")]
    [InlineData("hyphens are alphanumeric", "1.0.0-a-1", "1.0.0-a-2")]
    [InlineData("uppercase sorts before lowercase in ASCII", "1.0.0-RC", "1.0.0-rc")]
    public void Pre_release_identifiers_compare_by_the_spec(string why, string lower, string higher)
    {
        Assert.True(SemVersion.Parse(lower) < SemVersion.Parse(higher), why);
        Assert.True(SemVersion.Parse(higher) > SemVersion.Parse(lower), why);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("v1.2")]
    [InlineData("01.2.3")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3-rc..1")]
    [InlineData("1.2.3+")]
    [InlineData("V1.2.3")]
    [InlineData(" 1.2.3")]
    [InlineData("1.2.3\n")]
    [InlineData("1.2.٣")]
    [InlineData("")]
    public void Text_that_is_not_semver_is_refused(string text)
    {
        Assert.False(SemVersion.TryParse(text, out _));
        Assert.Throws<FormatException>(() => SemVersion.Parse(text));
    }

    [Fact]
    public void Parts_are_read_and_the_text_is_kept_as_written()
    {
        var version = SemVersion.Parse("v10.20.30-rc.1.x+build.7");

        Assert.Equal((10UL, 20UL, 30UL), (version.Major, version.Minor, version.Patch));
        Assert.Equal(["rc", "1", "x"], version.PreRelease);
        Assert.Equal("build.7", version.Build);
        Assert.True(version.HasPrefixV);
        Assert.True(version.IsPreRelease);
        Assert.Equal("v10.20.30-rc.1.x+build.7", version.ToString());
    }
}
