using Lading.Recipes;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Recipes;

public sealed class SecretMaskTests
{
    [Fact]
    public void Every_occurrence_of_every_secret_is_hidden_longest_first()
    {
        var mask = new SecretMask();
        mask.Add("abcd");
        mask.Add("abcdefgh");
        mask.Add("x");

        Assert.Equal("token *** and *** but x stays", mask.Apply("token abcdefgh and abcd but x stays"));
    }

    [Fact]
    public void The_masking_console_hides_secrets_and_keeps_braces()
    {
        var mask = new SecretMask();
        mask.Add("hunter22");
        var inner = new RecordingConsole();
        var console = new MaskingConsole(inner, mask);

        console.WriteLine("password {0} in {{json}}", "hunter22");
        console.WriteLine("plain hunter22 {x}");

        Assert.Equal("password *** in {json}\nplain *** {x}\n", inner.Text);
    }

    [Theory]
    [InlineData("clone https://bot:s3cret@git.example.com/r.git failed", "clone https://bot:***@git.example.com/r.git failed")]
    [InlineData("upload http://u:p%40ss@nexus:8081/raw/ and ssh://git:pw@host/x", "upload http://u:***@nexus:8081/raw/ and ssh://git:***@host/x")]
    [InlineData("no password in https://bot@git.example.com or https://git.example.com:443/r", "no password in https://bot@git.example.com or https://git.example.com:443/r")]
    public void A_password_inside_a_url_is_masked_whoever_wrote_it(string text, string masked)
    {
        Assert.Equal(masked, new SecretMask().Apply(text));
    }
}
