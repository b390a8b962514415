using System.Security.Cryptography;
using Lading.Packaging.Upload;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Upload;

public sealed class FolderUploadTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_file_lands_byte_for_byte_with_its_sha256_beside_it_and_no_part_left()
    {
        var local = WriteRandom("platform-v2.10.2.tar", 3 * 1024 * 1024 + 17);
        var destination = new Uri(_folder.Combine("share", "releases") + "/");

        var result = await new Uploader(new HttpClient()).UploadAsync(local, destination, null, null, CancellationToken.None);

        var landed = _folder.Combine("share", "releases", "platform-v2.10.2.tar");
        var hex = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(local)));
        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(landed));
        Assert.Equal($"{hex}  platform-v2.10.2.tar\n", File.ReadAllText(landed + ".sha256"));
        Assert.Equal(hex, result.Sha256);
        Assert.Equal(new FileInfo(local).Length, result.Size);
        Assert.True(result.Verified);
        Assert.Empty(Directory.GetFiles(_folder.Combine("share", "releases"), "*.part"));
    }

    [SkippableFact]
    public async Task The_written_sha256_file_is_accepted_by_sha256sum()
    {
        var sha256sum = Requires.Tool("sha256sum", "coreutils");
        var local = WriteRandom("kubespray-v2.24.tar", 100_000);
        var destination = new Uri(_folder.Combine("out") + "/");

        await new FolderUploader().UploadAsync(local, destination, null, null, CancellationToken.None);

        var check = Shell.Run(sha256sum, ["-c", "kubespray-v2.24.tar.sha256"], workingDirectory: _folder.Combine("out"));
        Assert.True(check.ExitCode == 0, check.All);
        Assert.Contains("kubespray-v2.24.tar: OK", check.Output);
    }

    [Fact]
    public async Task An_upload_cancelled_midway_leaves_neither_the_final_name_nor_a_part_file()
    {
        var local = WriteRandom("big.tar", 4 * 1024 * 1024);
        var destination = new Uri(_folder.Combine("out") + "/");
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(_ => cancel.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FolderUploader().UploadAsync(local, destination, null, progress, cancel.Token));

        Assert.False(File.Exists(_folder.Combine("out", "big.tar")));
        Assert.False(File.Exists(_folder.Combine("out", "big.tar.part")));
        Assert.False(File.Exists(_folder.Combine("out", "big.tar.sha256")));
    }

    [Fact]
    public async Task An_earlier_upload_under_the_same_name_is_replaced_whole()
    {
        var local = WriteRandom("platform.tar", 50_000);
        _folder.Write("out/platform.tar", "an older, longer package than the new one ... " + new string('x', 100_000));

        await new FolderUploader().UploadAsync(local, new Uri(_folder.Combine("out") + "/"), null, null, CancellationToken.None);

        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(_folder.Combine("out", "platform.tar")));
    }

    [Fact]
    public async Task A_missing_local_file_is_an_upload_error_naming_the_destination()
    {
        var destination = new Uri(_folder.Combine("out") + "/");

        var error = await Assert.ThrowsAsync<UploadException>(() => new FolderUploader().UploadAsync(_folder.Combine("nope.tar"), destination, null, null, CancellationToken.None));

        Assert.Contains(destination.ToString(), error.Message);
        Assert.Contains("nope.tar", error.Message);
    }

    private string WriteRandom(string name, int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var path = _folder.Combine("local", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Reports on the caller's thread, so a test can react at an exact point.</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
