using Lading.Files;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Files;

public sealed class DownloadPlanTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_plan_tells_missing_partial_and_present_files_apart_without_fetching()
    {
        var list = FileList.Parse(
            """
            https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubelet
            https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubeadm
            https://get.helm.sh/helm-v3.14.0-linux-amd64.tar.gz
            """,
            "files.list");
        _folder.Write("files/dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubeadm.part", "12345");
        _folder.Write("files/get.helm.sh/helm-v3.14.0-linux-amd64.tar.gz", "helm");

        var plan = DownloadPlan.For(list.Entries, _folder.Combine("files"));

        Assert.Equal([PlannedState.Missing, PlannedState.Partial, PlannedState.Present], plan.Files.Select(f => f.State));
        Assert.Equal(5, plan.Files[1].BytesOnDisk);
        Assert.Equal(_folder.Combine("files", "dl.k8s.io", "release", "v1.29.0", "bin", "linux", "amd64", "kubelet"), plan.Files[0].Target);
        Assert.Contains("Missing  https://dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubelet -> dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubelet", plan.ToString());
    }
}
