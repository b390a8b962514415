using System.Text.Json;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Common;

/// <summary>Hostile text from lists, manifests and servers stays text: escaped and cut before a terminal, a log or a summary sees it.</summary>
public sealed class SafeTextTests : IDisposable
{
    private const string Hostile = "library/app:1.0\u001b]0;pwned\u0007\u001b[2J\r\u009b31m\u202e";
    private readonly TempFolder _folder = new("lading-safe-text");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Control_characters_are_escaped_and_tab_and_newline_kept()
    {
        Assert.Equal("'library/app:1.0\\x1B]0;pwned\\x07\\x1B[2J\\r\\x9B31m\\u202E'", SafeText.Quote(Hostile));
        Assert.Equal("a\tb\nc\\x1B", SafeText.Clean("a\tb\nc\u001b"));
        Assert.Same("plain text", SafeText.Clean("plain text"));
    }

    [Fact]
    public void What_is_echoed_is_cut_and_says_how_much_more_there_was()
    {
        Assert.Equal("'aaaaa… (95 more characters)'", SafeText.Quote(new string('a', 100), 5));
        Assert.Equal(new string('b', SafeText.LineLimit) + "… (9998000 more characters)", SafeText.Clean(new string('b', 10_000_000)));
    }

    [Fact]
    public void A_list_with_control_bytes_and_a_huge_line_reaches_log_and_summaries_escaped_and_cut()
    {
        _folder.Write("images.list", $"{Hostile}\n{new string('x', 10 * 1024 * 1024)}:1.0\n");

        var run = HostHarness.RunLading(_folder.Path, null, ["--target=SyncImages", "--images=images.list", "--output=out", $"--cache={_folder.Combine("cache")}"]);

        Assert.True(run.ExitCode == 1, run.Output[..Math.Min(run.Output.Length, 5000)]);
        Assert.Contains("'library/app:1.0\\x1B]0;pwned\\x07\\x1B[2J\\r\\x9B31m\\u202E' holds more than one word", run.Output);
        Assert.Contains("xxxx… (", run.Output);
        var markdown = File.ReadAllText(_folder.Combine("out", "summary.md"));
        var json = File.ReadAllText(_folder.Combine("out", "summary.json"));
        foreach (var text in new[] { run.Output, markdown, JsonDocument.Parse(json).RootElement.GetProperty("error").GetString()! })
        {
            Assert.DoesNotContain("\u001b]", text);
            Assert.DoesNotContain("\u0007", text);
            Assert.DoesNotContain('\u009b', text);
            Assert.DoesNotContain('\u202e', text);
            Assert.InRange(text.Length, 1, 100_000);
        }

        Assert.Contains("\\x1B]0;pwned", markdown);
    }
}
