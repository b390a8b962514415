using Lading.Files;

namespace Lading.Tests.Files;

public sealed class FileListTests
{
    private const string Kubelet = "7f3a1c2d9e8b4f6a5c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b";
    private const string Kubeadm = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Urls_with_optional_sha256_comments_and_blank_lines_are_read_in_order()
    {
        var list = FileList.Parse(
            $"""
            # kubernetes binaries
            https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubelet sha256:{Kubelet.ToUpperInvariant()}

            https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubeadm	sha256:{Kubeadm}
              https://github.com/containernetworking/plugins/releases/download/v1.4.0/cni-plugins-linux-amd64-v1.4.0.tgz
            """,
            "files.list");

        Assert.Equal(3, list.Entries.Count);
        Assert.Equal(new Uri("https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubelet"), list.Entries[0].Url);
        Assert.Equal(Kubelet, list.Entries[0].Sha256);
        Assert.Equal(Kubeadm, list.Entries[1].Sha256);
        Assert.Null(list.Entries[2].Sha256);
        Assert.Equal("files.list:2", list.Entries[0].Where);
        Assert.Equal("files.list:5", list.Entries[2].Where);
    }

    [Theory]
    [InlineData("https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubelet", "dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubelet")]
    [InlineData("https://GitHub.com/etcd-io/etcd/releases/download/v3.5.10/etcd-v3.5.10-linux-amd64.tar.gz", "github.com/etcd-io/etcd/releases/download/v3.5.10/etcd-v3.5.10-linux-amd64.tar.gz")]
    [InlineData("http://127.0.0.1:8080/mirror/crictl.tar.gz", "127.0.0.1:8080/mirror/crictl.tar.gz")]
    [InlineData("https://storage.example.com:443/a%20b/file", "storage.example.com/a b/file")]
    public void Each_url_lands_under_its_host_and_path_as_kubesprays_files_repo_expects(string url, string relativePath)
    {
        Assert.Equal(relativePath, FileEntry.Create(url).RelativePath);
    }

    [Theory]
    [InlineData("https://dl.k8s.io/release/../../../etc/passwd")]
    [InlineData("https://dl.k8s.io/release/%2e%2e/%2E%2E/etc/passwd")]
    [InlineData("https://dl.k8s.io/release/./kubelet")]
    [InlineData("https://dl.k8s.io/release//kubelet")]
    [InlineData("https://dl.k8s.io/release/a%2fb")]
    [InlineData("https://dl.k8s.io/release\\..\\kubelet")]
    [InlineData("https://dl.k8s.io/release/v1.29.0/")]
    [InlineData("https://dl.k8s.io")]
    [InlineData("ftp://dl.k8s.io/kubelet")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://user:secret@dl.k8s.io/kubelet")]
    [InlineData("https://[::1]/kubelet")]
    [InlineData("https://dl.k8s.io/kubelet#x")]
    [InlineData("/release/kubelet")]
    public void Urls_that_would_escape_or_blur_the_layout_are_refused(string url)
    {
        var error = Assert.Throws<FileListException>(() => FileList.Parse(url, "files.list"));

        Assert.Equal("files.list:1", Assert.Single(error.Problems).Where);
        Assert.Throws<ArgumentException>(() => FileEntry.Create(url));
    }

    [Fact]
    public void Every_bad_line_is_reported_at_once_with_file_and_line()
    {
        var text = $"""
            https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubelet sha256:{Kubelet}
            https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubeadm md5:abc
            # a comment
            https://dl.k8s.io/../etc/shadow
            https://dl.k8s.io/kubectl sha256:{Kubeadm} extra
            https://dl.k8s.io/crictl sha256:1234
            """;

        var error = Assert.Throws<FileListException>(() => FileList.Parse(text, "lists/files.list"));

        Assert.Equal(["lists/files.list:2", "lists/files.list:4", "lists/files.list:5", "lists/files.list:6"], error.Problems.Select(p => p.Where));
        Assert.Contains("4 problems in the file list", error.Message);
        Assert.Contains("lists/files.list:2: 'md5:abc' is not 'sha256:<64 hex digits>'", error.Message);
        Assert.Contains("'..'", error.Problems[1].Message);
    }

    [Fact]
    public void A_checksums_file_supplies_hashes_by_file_name_files_path_or_url()
    {
        var list = FileList.Parse(
            """
            https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubelet
            https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubeadm
            https://get.helm.sh/helm-v3.14.0-linux-amd64.tar.gz
            """,
            "files.list",
            $"""
            # sha256sum output
            {Kubelet}  kubelet
            {Kubeadm} *files/dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubeadm
            {Kubelet.ToUpperInvariant()}  https://get.helm.sh/helm-v3.14.0-linux-amd64.tar.gz
            """,
            "SHA256SUMS");

        Assert.Equal([Kubelet, Kubeadm, Kubelet], list.Entries.Select(e => e.Sha256));
    }

    [Fact]
    public void A_checksums_file_missing_a_url_or_disagreeing_with_the_list_is_reported()
    {
        var error = Assert.Throws<FileListException>(() => FileList.Parse(
            $"""
            https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubelet sha256:{Kubeadm}
            https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubeadm
            """,
            "files.list",
            $"""
            {Kubelet}  kubelet
            not-a-hash  kubectl
            """,
            "SHA256SUMS"));

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Where == "SHA256SUMS:1" && p.Message.Contains($"differs from {Kubeadm} given at files.list:1"));
        Assert.Contains(error.Problems, p => p.Where == "SHA256SUMS:2" && p.Message.Contains("sha256sum"));
        Assert.Contains(error.Problems, p => p.Where == "files.list:2" && p.Message.Contains("no line for https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubeadm"));
    }

    [Fact]
    public void The_same_url_twice_is_kept_once_but_conflicting_hashes_are_reported()
    {
        const string url = "https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubelet";

        var merged = FileList.Parse($"{url}\n{url} sha256:{Kubelet}\n", "files.list");
        var error = Assert.Throws<FileListException>(() => FileList.Parse($"{url} sha256:{Kubelet}\n{url} sha256:{Kubeadm}\n", "files.list"));

        Assert.Equal(Kubelet, Assert.Single(merged.Entries).Sha256);
        Assert.Equal("files.list:2", Assert.Single(error.Problems).Where);
    }

    [Fact]
    public void Two_urls_landing_on_the_same_path_are_reported()
    {
        var error = Assert.Throws<FileListException>(() => FileList.Parse(
            "https://example.com/get/tool?version=1\nhttps://example.com/get/tool?version=2\n", "files.list"));

        Assert.Contains("lands on files/example.com/get/tool", Assert.Single(error.Problems).Message);
    }
}
