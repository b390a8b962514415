namespace Lading.Tests.Common;

/// <summary>The line format every list file shares.</summary>
public sealed class ListTextTests
{
    [Fact]
    public void Comments_blank_lines_and_surrounding_space_are_skipped_with_line_and_column_kept()
    {
        var text = "# images of the gateway\n\n  library/nginx:1.25.3   # the proxy\r\nrelease/console:v1.0.0\n\t# indented comment\n";

        Assert.Equal(
            [new ListLine(3, 3, "library/nginx:1.25.3"), new ListLine(4, 1, "release/console:v1.0.0")],
            ListText.Entries(text));
    }

    [Fact]
    public void A_hash_inside_an_entry_is_part_of_it()
    {
        Assert.Equal(["https://example.test/file.tar.gz#part sha256:ab"], ListText.Texts("https://example.test/file.tar.gz#part sha256:ab #note\n"));
    }
}
