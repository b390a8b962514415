using Lading.Tests.Fixtures;

namespace Lading.Tests.Pipeline;

/// <summary>Where a raw error used to surface (a parser's, git's, the file system's), the build says what is wrong and where.</summary>
public sealed class ClearErrorTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-clear-errors");

    public void Dispose() => _folder.Dispose();

    private HostRun Build(params string[] args) => HostHarness.RunLading(_folder.Path, null, [$"--work={_folder.Combine("work")}", .. args]);

    [Fact]
    public void Inspect_of_a_file_that_is_no_tar_names_it()
    {
        var notes = _folder.Write("release-notes.tar", new string('x', 2000));

        var run = Build("--target=Inspect", $"--package={notes}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"Inspect failed in", run.Output);
        Assert.Contains($"{notes}: is not a tar file, or a damaged one", run.Output);
        Assert.DoesNotContain("Unable to", run.Output.Split($"{notes}: is not a tar file")[0]);
    }

    [Fact]
    public void A_missing_files_list_is_named()
    {
        var run = Build("--target=DownloadFiles", "--files=lists/files.lst", "--output=out");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{_folder.Combine("lists", "files.lst")}: no such files list", run.Output);
        Assert.DoesNotContain("Could not find file", run.Output);
    }

    [Fact]
    public void A_missing_os_list_is_named_with_the_recipe_line_that_names_it()
    {
        _folder.Write("offline.yaml", "os:\n  - list: lists/os/debian-12.list\n    arch: amd64\n");

        var run = Build("--target=BuildOsRepos", "--recipe=offline.yaml", "--output=out");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"offline.yaml:2:5: no such OS package list: {_folder.Combine("lists", "os", "debian-12.list")}", run.Output);
    }

    [Fact]
    public void A_release_repo_folder_that_does_not_exist_is_named_as_such()
    {
        var run = Build("--target=UpdateVersions", "--exclusive", "--release-repo=../platform-relase");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"../platform-relase: the release repo does not exist: there is no folder {Path.GetFullPath(Path.Combine(_folder.Path, "../platform-relase"))}", run.Output);
        Assert.DoesNotContain("git clone", run.Output);
    }

    [Fact]
    public void A_release_repo_url_that_cannot_be_cloned_says_so_with_gits_reason_on_one_line()
    {
        var url = $"file://{_folder.Combine("nowhere", "platform-release.git")}";

        var run = Build("--target=UpdateVersions", "--exclusive", $"--release-repo={url}");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(url)}: the release repo cannot be cloned: fatal: .*; check the URL, the branch and that this machine may read it", run.Output);
        Assert.DoesNotContain("git failed (exit code", run.Output);
    }
}
