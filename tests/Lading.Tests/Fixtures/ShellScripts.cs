namespace Lading.Tests.Fixtures;

/// <summary>Scripts Lading writes for a site, read as a reviewer reads them: bash parses each, shellcheck finds nothing.</summary>
public static class ShellScripts
{
    public static void AssertSound(IReadOnlyList<string> scripts)
    {
        var bash = Requires.Tool("bash", "bash");
        foreach (var script in scripts)
        {
            var parsed = Shell.Run(bash, ["-n", script]);
            Assert.True(parsed.ExitCode == 0, $"{script}: {parsed.All}");
        }

        var checkedScripts = Shell.Run(Requires.Tool("shellcheck", "shellcheck"), scripts);
        Assert.True(checkedScripts.ExitCode == 0, checkedScripts.All);
    }
}
