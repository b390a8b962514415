using System.Runtime.Versioning;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Common;

[SupportedOSPlatform("linux")]
public sealed class ContainedFilesTests : IDisposable
{
    private readonly TempFolder temp = new("lading-contained");

    public void Dispose() => temp.Dispose();

    private string Tree => temp.Combine("tree");

    [Fact]
    public void A_link_inside_the_tree_is_copied_as_what_it_points_to_with_its_execute_bits()
    {
        File.SetUnixFileMode(temp.Write("tree/scripts/real.sh", "echo hi\n"), (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(Path.Combine(Tree, "install.sh"), "scripts/real.sh");
        Directory.CreateSymbolicLink(Path.Combine(Tree, "configs"), "scripts");

        Assert.True(ContainedFiles.CopyFile(Tree, "install.sh", temp.Combine("out", "install.sh")));
        var copied = ContainedFiles.CopyFolder(Tree, "configs", temp.Combine("out", "configs"));

        Assert.Equal("echo hi\n", File.ReadAllText(temp.Combine("out", "install.sh")));
        Assert.Null(new FileInfo(temp.Combine("out", "install.sh")).LinkTarget);
        Assert.True(File.GetUnixFileMode(temp.Combine("out", "install.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(["real.sh"], copied);
    }

    [Fact]
    public void A_link_leaving_the_tree_is_refused_and_named()
    {
        temp.Write("secret", "do not ship");
        Directory.CreateDirectory(Tree);
        File.CreateSymbolicLink(Path.Combine(Tree, "install.sh"), "../secret");

        var error = Assert.Throws<ContainedFileException>(() => ContainedFiles.CopyFile(Tree, "install.sh", temp.Combine("out", "install.sh")));

        Assert.Equal($"install.sh in {Tree}: install.sh is a symbolic link to '../secret', outside the folder; refused.", error.Message);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void A_folder_link_leaving_the_tree_is_refused_before_anything_is_copied()
    {
        temp.Write("tree/scripts/a.sh", "a");
        Directory.CreateSymbolicLink(Path.Combine(Tree, "scripts", "etc"), "/etc");

        var error = Assert.Throws<ContainedFileException>(() => ContainedFiles.CopyFolder(Tree, "scripts", temp.Combine("out")));

        Assert.Contains("scripts/etc is a symbolic link to '/etc', outside the folder", error.Message);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void Loops_broken_links_and_devices_are_refused()
    {
        Directory.CreateDirectory(Tree);
        File.CreateSymbolicLink(Path.Combine(Tree, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(Tree, "b"), "a");
        File.CreateSymbolicLink(Path.Combine(Tree, "broken"), "missing/file");
        Directory.CreateDirectory(temp.Combine("tree", "charts"));
        Directory.CreateSymbolicLink(temp.Combine("tree", "charts", "self"), ".");
        Assert.Equal(0, Shell.Run("mkfifo", [Path.Combine(Tree, "pipe")]).ExitCode);

        Assert.Contains("loop", Assert.Throws<ContainedFileException>(() => ContainedFiles.RegularFile(Tree, "a")).Message);
        Assert.Contains("cannot be resolved", Assert.Throws<ContainedFileException>(() => ContainedFiles.RegularFile(Tree, "broken")).Message);
        Assert.Contains("not a regular file", Assert.Throws<ContainedFileException>(() => ContainedFiles.RegularFile(Tree, "pipe")).Message);
        Assert.Contains("a loop", Assert.Throws<ContainedFileException>(() => ContainedFiles.FilesUnder(Tree, "charts")).Message);
        Assert.Contains("outside the folder", Assert.Throws<ContainedFileException>(() => ContainedFiles.Resolve(Tree, "../secret")).Message);
    }

    [Fact]
    public void A_missing_file_is_no_error()
    {
        Directory.CreateDirectory(Tree);

        Assert.False(ContainedFiles.CopyFile(Tree, "install.sh", temp.Combine("out", "install.sh")));
        Assert.Empty(ContainedFiles.FilesUnder(Tree, "scripts"));
    }
}
