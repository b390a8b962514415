using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Common;

public class HardLinkTests : IDisposable
{
    private readonly TempFolder temp = new("lading-link");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_placed_file_shares_the_source_inode()
    {
        var source = temp.Write("store/blob", "layer bytes");
        var destination = temp.Combine("package", "a", "b", "data");

        var outcome = HardLink.Place(source, destination);

        Assert.Equal(LinkOutcome.Linked, outcome);
        Assert.Equal(FileIdentity.Of(source), FileIdentity.Of(destination));
        Assert.Equal("layer bytes", File.ReadAllText(destination));
        Assert.Equal(2u, UnixFile.Stat(source).LinkCount);
    }

    [Fact]
    public void Placing_again_changes_nothing()
    {
        var source = temp.Write("store/blob", "layer bytes");
        var destination = temp.Combine("package", "data");
        HardLink.Place(source, destination);

        Assert.Equal(LinkOutcome.AlreadyPresent, HardLink.Place(source, destination));
        Assert.Equal(2u, UnixFile.Stat(source).LinkCount);
        Assert.Single(Directory.GetFiles(temp.Combine("package")));
    }

    [Fact]
    public void Another_file_at_the_destination_is_replaced_by_the_link()
    {
        var source = temp.Write("store/blob", "good");
        var destination = temp.Write("package/data", "stale or corrupt");

        Assert.Equal(LinkOutcome.Linked, HardLink.Place(source, destination));
        Assert.Equal(FileIdentity.Of(source), FileIdentity.Of(destination));
        Assert.Equal("good", File.ReadAllText(destination));
    }

    [SkippableFact]
    public void Across_file_systems_the_bytes_are_copied_and_reported()
    {
        Skip.IfNot(Directory.Exists("/dev/shm") && FileIdentity.Of("/dev/shm").Device != FileIdentity.Of(temp.Path).Device, "no second file system (/dev/shm) here");
        var source = temp.Write("store/blob", "layer bytes");
        using var other = new OtherFileSystemFolder();
        var destination = Path.Combine(other.Path, "data");
        var reported = new List<string>();

        var outcome = HardLink.Place(source, destination, (from, to, why) => reported.Add($"{from} -> {to}: {why}"));

        Assert.Equal(LinkOutcome.Copied, outcome);
        Assert.Equal("layer bytes", File.ReadAllText(destination));
        Assert.NotEqual(FileIdentity.Of(source), FileIdentity.Of(destination));
        Assert.Equal([$"{source} -> {destination}: Invalid cross-device link"], reported);
    }

    [Fact]
    public void A_missing_source_is_an_error_naming_it()
    {
        var error = Assert.Throws<IOException>(() => HardLink.Place(temp.Combine("absent"), temp.Combine("data")));

        Assert.Contains(temp.Combine("absent"), error.Message);
        Assert.False(File.Exists(temp.Combine("data")));
    }

    private sealed class OtherFileSystemFolder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine("/dev/shm", $"lading-test-{Guid.NewGuid():N}");

        public OtherFileSystemFolder() => Directory.CreateDirectory(Path);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
