using System.Diagnostics;
using System.Formats.Tar;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Common;

[SupportedOSPlatform("linux")]
public class PackageTarTests : IDisposable
{
    private readonly TempFolder temp = new("lading-tar");

    public void Dispose() => temp.Dispose();

    [SkippableFact]
    public async Task A_hard_linked_blob_is_written_once_then_as_a_link_and_gnu_tar_agrees()
    {
        var tar = Requires.Tool("tar", "tar");
        var blob = RandomNumberGenerator.GetBytes(300_000);
        var package = PackageWithLinkedBlob(blob);
        var tarPath = temp.Combine("out", "package.tar");

        var result = await PackageTarWriter.WriteFileAsync(package, tarPath, CancellationToken.None, prefix: "platform-v2.10.2");

        Assert.Equal((2, 1, 300_000 + 17L), (result.Files, result.HardLinks, result.Bytes));
        Assert.InRange(new FileInfo(tarPath).Length, 300_000, 400_000);
        var listing = (await RunAsync(tar, "-tvf", tarPath)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(listing, l => l.StartsWith("-rw-r--r--", StringComparison.Ordinal) && l.EndsWith("platform-v2.10.2/oci/blobs/sha256/blob", StringComparison.Ordinal) && l.Contains(" 300000 "));
        Assert.Contains(listing, l => l.StartsWith("hrw-r--r--", StringComparison.Ordinal) && l.EndsWith("platform-v2.10.2/registry/data link to platform-v2.10.2/oci/blobs/sha256/blob", StringComparison.Ordinal));
        Assert.Contains(listing, l => l.StartsWith("-rwxr-xr-x", StringComparison.Ordinal) && l.EndsWith("platform-v2.10.2/install.sh", StringComparison.Ordinal));
        Assert.All(listing, l => Assert.Contains(" 0/0 ", l));

        var byGnuTar = temp.Combine("gnu");
        Directory.CreateDirectory(byGnuTar);
        await RunAsync(tar, "-xf", tarPath, "-C", byGnuTar);
        Assert.Equal(blob, File.ReadAllBytes(Path.Combine(byGnuTar, "platform-v2.10.2", "registry", "data")));
        Assert.Equal(
            FileIdentity.Of(Path.Combine(byGnuTar, "platform-v2.10.2", "registry", "data")),
            FileIdentity.Of(Path.Combine(byGnuTar, "platform-v2.10.2", "oci", "blobs", "sha256", "blob")));
    }

    [SkippableFact]
    public async Task Paths_and_link_names_longer_than_100_characters_survive_gnu_tar()
    {
        var tar = Requires.Tool("tar", "tar");
        var hex = new string('a', 64);
        var deep = Path.Combine("docker", "registry", "v2", "blobs", "sha256", "aa", hex, "data");
        var deeper = Path.Combine("docker", "registry", "v2", "repositories", "release", "some-long-component-name", "_layers", "sha256", hex, "data");
        var package = temp.Combine("package");
        var source = temp.Write("store/blob", "blob bytes");
        HardLink.Place(source, Path.Combine(package, deep));
        HardLink.Place(source, Path.Combine(package, deeper));
        var tarPath = temp.Combine("long.tar");
        await PackageTarWriter.WriteFileAsync(package, tarPath, CancellationToken.None);

        var byGnuTar = temp.Combine("gnu");
        Directory.CreateDirectory(byGnuTar);
        await RunAsync(tar, "-xf", tarPath, "-C", byGnuTar);

        Assert.Equal("blob bytes", File.ReadAllText(Path.Combine(byGnuTar, deeper)));
        Assert.Equal(FileIdentity.Of(Path.Combine(byGnuTar, deep)), FileIdentity.Of(Path.Combine(byGnuTar, deeper)));
    }

    [Fact]
    public async Task Extraction_gives_identical_bytes_and_hard_links()
    {
        var blob = RandomNumberGenerator.GetBytes(100_000);
        var package = PackageWithLinkedBlob(blob);
        using var tar = new MemoryStream();
        await PackageTarWriter.WriteAsync(package, tar, CancellationToken.None);
        tar.Position = 0;
        var destination = temp.Combine("extracted");

        var result = await SafeTarExtractor.ExtractAsync(tar, destination, CancellationToken.None);

        Assert.Equal((2, 1, 1), (result.Files, result.HardLinks, result.SymbolicLinks));
        Assert.Equal(blob, File.ReadAllBytes(Path.Combine(destination, "registry", "data")));
        Assert.Equal(FileIdentity.Of(Path.Combine(destination, "registry", "data")), FileIdentity.Of(Path.Combine(destination, "oci", "blobs", "sha256", "blob")));
        Assert.Equal("#!/bin/sh\nexit 0\n", File.ReadAllText(Path.Combine(destination, "install.sh")));
        Assert.True(File.GetUnixFileMode(Path.Combine(destination, "install.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("oci/blobs/sha256/blob", new FileInfo(Path.Combine(destination, "current")).LinkTarget);
    }

    [Fact]
    public async Task The_same_tree_gives_the_same_bytes_whatever_the_file_times()
    {
        var package = PackageWithLinkedBlob(RandomNumberGenerator.GetBytes(1000));
        FileTimes.Set(package, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        var first = await TarBytesAsync(package);
        FileTimes.Set(package, new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        Assert.Equal(first, await TarBytesAsync(package));

        // Nothing in a header may depend on the writing process (PAX header names carry its id) or the clock.
        Assert.DoesNotContain("PaxHeaders", System.Text.Encoding.ASCII.GetString(first));
        await using var reader = new TarReader(new MemoryStream(first));
        var names = new List<string>();
        while (await reader.GetNextEntryAsync() is GnuTarEntry entry)
        {
            names.Add(entry.Name);
            Assert.Equal(PackageTarWriter.DefaultTime, entry.ModificationTime);
            Assert.Equal((0, 0, "", ""), (entry.Uid, entry.Gid, entry.UserName, entry.GroupName));
        }

        Assert.Equal(["current", "install.sh", "oci/", "oci/blobs/", "oci/blobs/sha256/", "oci/blobs/sha256/blob", "registry/", "registry/data"], names);

        // GNU's access and change times sit where ustar keeps a name prefix, and Python's tarfile reads them as one.
        Assert.All(Enumerable.Range(345, 24), at => Assert.Equal(0, first[at]));
    }

    [Fact]
    public async Task A_symbolic_link_leading_outside_the_folder_is_not_written()
    {
        var package = temp.Combine("package");
        Directory.CreateDirectory(package);
        File.CreateSymbolicLink(Path.Combine(package, "passwd"), "../../etc/passwd");

        var error = await Assert.ThrowsAsync<PackageTarException>(() => PackageTarWriter.WriteAsync(package, new MemoryStream(), CancellationToken.None));

        Assert.Contains("outside", error.Message);
        Assert.Contains("passwd", error.Message);
    }

    [Fact]
    public async Task The_tar_cannot_be_written_inside_the_folder_it_packs()
    {
        var package = temp.Combine("package");
        Directory.CreateDirectory(package);

        await Assert.ThrowsAsync<PackageTarException>(() => PackageTarWriter.WriteFileAsync(package, Path.Combine(package, "self.tar"), CancellationToken.None));
    }

    [Theory]
    [InlineData("../evil", "climbs out")]
    [InlineData("a/../../evil", "climbs out")]
    [InlineData("/tmp/evil", "absolute path")]
    public async Task Entries_climbing_out_are_refused(string name, string reason)
    {
        var error = await Assert.ThrowsAsync<UnsafeTarEntryException>(() => ExtractAsync(Entry(TarEntryType.RegularFile, name)));

        Assert.Contains(reason, error.Message);
        Assert.Equal(name, error.Entry);
        AssertNothingOutside();
    }

    [Fact]
    public async Task A_symbolic_link_out_of_the_destination_is_refused()
    {
        var absolute = await Assert.ThrowsAsync<UnsafeTarEntryException>(() => ExtractAsync(Entry(TarEntryType.SymbolicLink, "etc", "/etc")));
        var relative = await Assert.ThrowsAsync<UnsafeTarEntryException>(() => ExtractAsync(Entry(TarEntryType.SymbolicLink, "a/up", "../../..")));

        Assert.Contains("outside the destination", absolute.Message);
        Assert.Contains("outside the destination", relative.Message);
        AssertNothingOutside();
    }

    [Fact]
    public async Task Writing_through_a_symbolic_link_folder_is_refused()
    {
        var error = await Assert.ThrowsAsync<UnsafeTarEntryException>(() => ExtractAsync(
            Entry(TarEntryType.Directory, "real/"),
            Entry(TarEntryType.SymbolicLink, "alias", "real"),
            Entry(TarEntryType.RegularFile, "alias/file")));

        Assert.Equal("alias/file", error.Entry);
        Assert.False(File.Exists(temp.Combine("extracted", "real", "file")));
    }

    [Fact]
    public async Task A_hard_link_out_of_the_destination_is_refused()
    {
        var outside = temp.Write("secret", "do not touch");

        var climbing = await Assert.ThrowsAsync<UnsafeTarEntryException>(() => ExtractAsync(Entry(TarEntryType.HardLink, "x", "../secret")));
        var absolute = await Assert.ThrowsAsync<UnsafeTarEntryException>(() => ExtractAsync(Entry(TarEntryType.HardLink, "y", outside)));

        Assert.Equal("x", climbing.Entry);
        Assert.Equal("y", absolute.Entry);
        Assert.Equal(1u, UnixFile.Stat(outside).LinkCount);
    }

    [Fact]
    public async Task A_hard_link_to_a_file_not_yet_extracted_is_refused()
    {
        var error = await Assert.ThrowsAsync<UnsafeTarEntryException>(() => ExtractAsync(Entry(TarEntryType.HardLink, "b", "a")));

        Assert.Contains("not a file extracted before it", error.Message);
    }

    [Fact]
    public async Task A_global_header_such_as_git_archive_writes_is_passed_over()
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["comment"] = "0123abcd" }));
            await writer.WriteEntryAsync(Entry(TarEntryType.RegularFile, "install.sh", content: "#!/bin/sh"));
        }

        tar.Position = 0;
        var result = await SafeTarExtractor.ExtractAsync(tar, temp.Combine("extracted"), CancellationToken.None);

        Assert.Equal(1, result.Files);
        Assert.Equal("#!/bin/sh", File.ReadAllText(temp.Combine("extracted", "install.sh")));
    }

    [Fact]
    public async Task Device_entries_are_refused()
    {
        var error = await Assert.ThrowsAsync<UnsafeTarEntryException>(() => ExtractAsync(Entry(TarEntryType.CharacterDevice, "null")));

        Assert.Contains("CharacterDevice", error.Message);
    }

    [Fact]
    public async Task A_file_replacing_a_hard_link_does_not_write_through_it()
    {
        var outside = temp.Write("store-blob", "blob bytes");
        var destination = temp.Combine("extracted");
        Directory.CreateDirectory(destination);
        Assert.Equal(0, UnixFile.TryLink(outside, Path.Combine(destination, "data")));

        await ExtractAsync(Entry(TarEntryType.RegularFile, "data", content: "new"));

        Assert.Equal("blob bytes", File.ReadAllText(outside));
        Assert.Equal("new", File.ReadAllText(Path.Combine(destination, "data")));
    }

    private string PackageWithLinkedBlob(byte[] blob)
    {
        var store = temp.Combine("store");
        Directory.CreateDirectory(store);
        var stored = Path.Combine(store, "blob");
        File.WriteAllBytes(stored, blob);
        var package = temp.Combine("package");
        HardLink.Place(stored, Path.Combine(package, "oci", "blobs", "sha256", "blob"));
        HardLink.Place(stored, Path.Combine(package, "registry", "data"));
        var install = temp.Write("package/install.sh", "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(install, (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(Path.Combine(package, "current"), "oci/blobs/sha256/blob");
        return package;
    }

    private static async Task<byte[]> TarBytesAsync(string folder)
    {
        using var output = new MemoryStream();
        await PackageTarWriter.WriteAsync(folder, output, CancellationToken.None);
        return output.ToArray();
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, string? link = null, string? content = null)
    {
        var entry = new PaxTarEntry(type, name) { Mode = (UnixFileMode)0b110_100_100 };
        if (link is not null)
        {
            entry.LinkName = link;
        }

        if (type == TarEntryType.RegularFile)
        {
            entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content ?? "x"));
        }

        return entry;
    }

    private async Task<TarExtractResult> ExtractAsync(params PaxTarEntry[] entries)
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                await writer.WriteEntryAsync(entry);
            }
        }

        tar.Position = 0;
        return await SafeTarExtractor.ExtractAsync(tar, temp.Combine("extracted"), CancellationToken.None);
    }

    private void AssertNothingOutside()
    {
        Assert.Equal(["extracted"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
        Assert.False(File.Exists("/tmp/evil"));
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {error}");
        return output;
    }
}
