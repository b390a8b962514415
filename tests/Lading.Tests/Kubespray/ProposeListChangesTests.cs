using Lading.Kubespray;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Kubespray;

/// <summary>ProposeListChanges: generated lists against the ones committed in the Kubespray release repo.</summary>
public sealed class ProposeListChangesTests
{
    private static readonly KubesprayLists Committed = KubesprayLists.FromText(
        "https://dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubectl\nhttps://dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubelet\n",
        "registry.k8s.io/pause:3.9\n");

    [Fact]
    public void Identical_lists_do_not_differ_and_say_so()
    {
        var changes = ProposeListChanges.Compare(Committed, Committed);

        Assert.False(changes.Differs);
        Assert.Equal("## Kubespray v2.26.0 (amd64)\n\nThe generated lists are the same as the committed ones.\n", changes.ToMarkdown("Kubespray v2.26.0 (amd64)"));
    }

    [Fact]
    public void Added_and_removed_lines_are_reported_per_list_as_a_diff()
    {
        var generated = KubesprayLists.FromText(
            "https://dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubectl\nhttps://dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubelet\n",
            "registry.k8s.io/pause:3.9\n");

        var changes = ProposeListChanges.Compare(generated, Committed);

        Assert.True(changes.Differs);
        var files = changes.Lists[0];
        Assert.Equal("files.list", files.Name);
        Assert.Equal(["https://dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubectl", "https://dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubelet"], files.Added);
        Assert.Equal(["https://dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubectl", "https://dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubelet"], files.Removed);
        Assert.False(changes.Lists[1].Changed);
        Assert.Equal(
            """
            ## Kubernetes 1.31.2

            | list | added | removed |
            |---|---:|---:|
            | `files.list` | 2 | 2 |
            | `images.list` | 0 | 0 |

            ### `files.list`

            ```diff
            - https://dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubectl
            - https://dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubelet
            + https://dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubectl
            + https://dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubelet
            ```

            """,
            changes.ToMarkdown("Kubernetes 1.31.2"));
    }

    [Fact]
    public void A_reordered_list_differs_without_added_or_removed_lines()
    {
        var generated = KubesprayLists.FromText(
            "https://dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubelet\nhttps://dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubectl\n",
            "registry.k8s.io/pause:3.9\n");

        var changes = ProposeListChanges.Compare(generated, Committed);

        Assert.True(changes.Differs);
        Assert.Empty(changes.Lists[0].Added);
        Assert.Empty(changes.Lists[0].Removed);
        Assert.Contains("Only the order or blank lines changed.", changes.ToMarkdown("t"));
    }

    [Fact]
    public void Nothing_committed_yet_means_every_line_is_added()
    {
        using var folder = new TempFolder();

        var changes = ProposeListChanges.Compare(Committed, KubesprayLists.ReadFrom(folder.Path));

        Assert.True(changes.Differs);
        Assert.Equal(2, changes.Lists[0].Added.Count);
        Assert.Equal(["registry.k8s.io/pause:3.9"], changes.Lists[1].Added);
        Assert.Empty(changes.Lists[1].Removed);
    }

    [Fact]
    public void Lists_written_to_a_folder_read_back_byte_for_byte()
    {
        using var folder = new TempFolder();
        var lists = new KubesprayLists([0x61, 0x0d, 0x0a], [0x62]);

        lists.WriteTo(folder.Path);
        var read = KubesprayLists.ReadFrom(folder.Path);

        Assert.Equal(lists.Files, read.Files);
        Assert.Equal(lists.Images, read.Images);
        Assert.Equal(["files.list", "images.list"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }
}
