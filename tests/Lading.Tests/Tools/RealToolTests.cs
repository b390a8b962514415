using Cake.Core.IO;
using Lading.Tests.Fixtures;
using Lading.Tools.Git;
using Lading.Tools.Helm;

namespace Lading.Tests.Tools;

/// <summary>The wrappers against the real programs: a local git remote and the helm the tests install.</summary>
public sealed class RealToolTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly RealCake _cake = new();

    public void Dispose() => _folder.Dispose();


    [SkippableFact]
    public void Git_lists_fetches_one_tag_shallowly_and_reads_its_message()
    {
        var git = Requires.Tool("git", "git");
        var remote = _folder.Combine("remote");
        Sh(git, $"init --quiet -b main {remote}");
        for (var i = 1; i <= 3; i++)
        {
            _folder.Write($"remote/file{i}.txt", $"content {i}");
            Sh(git, $"-C {remote} add .");
            Sh(git, $"-C {remote} -c user.name=t -c user.email=t@example.com commit --quiet -m c{i}");
        }

        Sh(git, $"-C {remote} -c user.name=t -c user.email=t@example.com tag -a v1.2.0 -m release:ok");
        Sh(git, $"-C {remote} tag v1.2.1-light");

        var (runner, tools) = (_cake.Runner, _cake.Tools);
        var runnerGit = new GitRunner(_cake.FileSystem, _cake.Environment, runner, tools);
        var tags = runnerGit.LsRemoteTags("file://" + remote);
        var clone = new DirectoryPath(_folder.Combine("clone"));
        runnerGit.FetchTag(clone, "file://" + remote, "v1.2.0");

        Assert.Equal(["v1.2.0", "v1.2.1-light"], tags.Select(t => t.Name));
        Assert.True(tags[0].IsAnnotated);
        Assert.False(tags[1].IsAnnotated);
        Assert.Equal("release:ok", runnerGit.TagMessage(clone, "v1.2.0"));
        Assert.Equal("content 3", File.ReadAllText(System.IO.Path.Combine(clone.FullPath, "file3.txt")));
        Assert.Equal("1", Sh(git, $"-C {clone.FullPath} rev-list --count HEAD").Trim());
    }

    [SkippableFact]
    public void Helm_renders_a_chart_and_reports_its_version()
    {
        var helmPath = Requires.Helm();
        _folder.Write("chart/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
        _folder.Write("chart/values.yaml", "image: registry.example.com/demo:1.0\n");
        _folder.Write("chart/templates/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\nspec:\n  containers:\n    - name: c\n      image: {{ .Values.image }}\n");

        var (runner, tools) = (_cake.Runner, _cake.Tools);
        var helm = new HelmRunner(_cake.FileSystem, _cake.Environment, runner, tools);
        var settings = new HelmSettings { ToolPath = helmPath };
        var rendered = helm.Template(_folder.Combine("chart"), "demo", "devops-system", settings: settings);

        Assert.StartsWith("v3.", helm.Version(settings));
        Assert.Contains("image: registry.example.com/demo:1.0", rendered);
        Assert.Contains("namespace: devops-system", rendered);
    }

    private static string Sh(string program, string arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {arguments}: {error}");
        return output;
    }
}
