using System.Security.Cryptography;
using Cake.Core;
using Lading.Recipes;
using Lading.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Lading.Tests.Pipeline;

public sealed class DownloadFilesTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-download-task");

    public void Dispose() => _folder.Dispose();

    private HostRun Build(params string[] args) =>
        HostHarness.RunLading(_folder.Path, null, [$"--cache={_folder.Combine("cache")}", "--output=out", .. args]);

    [SkippableFact]
    public async Task Files_land_under_their_host_and_path_verified_and_a_wrong_hash_names_the_url()
    {
        using var nginx = await NginxServer.StartAsync();
        var kubelet = RandomNumberGenerator.GetBytes(300_000);
        Directory.CreateDirectory(nginx.PathOf("release/v1.29.0/bin/linux/amd64"));
        File.WriteAllBytes(nginx.PathOf("release/v1.29.0/bin/linux/amd64/kubelet"), kubelet);
        File.WriteAllText(nginx.PathOf("calico.tgz"), "calico");
        var host = $"127.0.0.1:{nginx.Port}";
        _folder.Write("files.list", $"""
            # binaries for the offline site
            {nginx.BaseUri}release/v1.29.0/bin/linux/amd64/kubelet sha256:{Convert.ToHexStringLower(SHA256.HashData(kubelet))}
            {nginx.BaseUri}calico.tgz
            """);

        var run = Build("--target=DownloadFiles", "--files=files.list");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(kubelet, File.ReadAllBytes(_folder.Combine("out", "files", host, "release/v1.29.0/bin/linux/amd64/kubelet")));
        Assert.Equal("calico", File.ReadAllText(_folder.Combine("out", "files", host, "calico.tgz")));

        _folder.Write("bad.list", $"{nginx.BaseUri}calico.tgz sha256:{new string('0', 64)}\n");
        var bad = Build("--target=DownloadFiles", "--files=bad.list", "--output=out2");

        Assert.Equal(1, bad.ExitCode);
        Assert.Contains($"{nginx.BaseUri}calico.tgz", bad.Output);
        Assert.Contains(new string('0', 64), bad.Output);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData("calico"u8.ToArray())), bad.Output);
    }

    [Fact]
    public void Hostile_urls_are_refused_before_anything_is_fetched()
    {
        _folder.Write("files.list", "http://127.0.0.1:1/../../etc/passwd\nftp://example.com/file.tgz\n");

        var run = Build("--target=DownloadFiles", "--files=files.list");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("files.list:1", run.Output);
        Assert.Contains("files.list:2", run.Output);
    }
}
