using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

public class ImageListTests
{
    [Fact]
    public void Comments_blank_lines_and_trailing_comments_are_ignored()
    {
        var list = ImageList.Parse(
            "# images of the devops module\n\nlibrary/nginx:1.25.3   # web front\n  quay.io/calico/node:v3.26.1\r\nrelease/cyclone:v1.2.0\r\n",
            "images/images_devops.list");

        Assert.Equal(["library/nginx:1.25.3", "quay.io/calico/node:v3.26.1", "release/cyclone:v1.2.0"], list.Entries.Select(e => e.Text));
        Assert.Equal([3, 4, 5], list.Entries.Select(e => e.Line));
        Assert.Equal("images/images_devops.list:4", list.Entries[1].Location);
    }

    [Fact]
    public void An_entry_without_host_is_a_site_name_and_one_with_host_is_not()
    {
        var list = ImageList.Parse("library/nginx:1.25.3\nquay.io/calico/node:v3.26.1\n", "a.list");

        Assert.True(list.Entries[0].IsSiteName);
        Assert.False(list.Entries[1].IsSiteName);
        Assert.Equal("calico/node:v3.26.1", list.Entries[1].Reference.SiteName);
    }

    [Fact]
    public void Bad_lines_and_duplicates_are_all_reported_with_file_and_line()
    {
        var error = Assert.Throws<ImageListException>(() => ImageList.Parse(
            """
            library/nginx:1.25.3
            Library/Bad:1
            quay.io/calico/node:v3.26.1 extra
            docker.io/library/nginx:1.25.3
            nginx:
            oci:nocolon
            """,
            "images/a.list"));

        Assert.Equal(
            [
                "images/a.list:2: 'Library/Bad:1' is not a valid image reference: repository 'Bad': repository names must be lowercase",
                "images/a.list:3: 'quay.io/calico/node:v3.26.1 extra' holds more than one word; write one image a line",
                "images/a.list:4: 'docker.io/library/nginx:1.25.3' is listed twice (first at line 1)",
                "images/a.list:5: 'nginx:' is not a valid image reference: the tag after ':' is empty",
                "images/a.list:6: 'oci:nocolon' must be oci:<layout folder>:<ref name>, like oci:images/nginx:library/nginx:1.25.3",
            ],
            error.Problems.Select(p => p.ToString()));
        Assert.Contains("images/a.list:4:", error.Message);
    }

    [Fact]
    public void An_oci_entry_names_a_layout_folder_and_a_ref_name()
    {
        using var temp = new TempFolder();
        var file = temp.Write("images/local.list", "oci:../layouts/nginx:library/nginx:1.25.3\n");

        var entry = ImageList.Load(file).Entries.Single();

        Assert.Equal(temp.Combine("layouts", "nginx"), entry.OciLayout);
        Assert.Equal("library/nginx:1.25.3", entry.OciRefName);
        Assert.Equal("library/nginx:1.25.3", entry.Reference.SiteName);
        Assert.False(entry.IsSiteName);
    }

    [Fact]
    public void A_folder_loads_every_list_in_name_order_and_merges_shared_images()
    {
        using var temp = new TempFolder();
        temp.Write("images/images_b.list", "library/busybox:1.36\nrelease/b:1\n");
        temp.Write("images/images_a.list", "release/a:1\nlibrary/busybox:1.36\n");
        temp.Write("images/README.md", "not-a-list:1\n");

        var list = ImageList.Load(temp.Combine("images"));

        Assert.Equal(["release/a:1", "library/busybox:1.36", "release/b:1"], list.Entries.Select(e => e.Text));
        Assert.Equal(["images_a.list", "images_b.list"], list.Files.Select(Path.GetFileName));
        Assert.EndsWith("images_a.list", list.Entries[1].File);
    }

    [Fact]
    public void Problems_of_every_file_in_a_folder_come_in_one_exception()
    {
        using var temp = new TempFolder();
        temp.Write("images/a.list", "ok/a:1\nbad/X\n");
        temp.Write("images/b.list", "ok/b:1\nok/b:1\n");

        var error = Assert.Throws<ImageListException>(() => ImageList.Load(temp.Combine("images")));

        Assert.Equal(2, error.Problems.Count);
        Assert.Equal((temp.Combine("images", "a.list"), 2), (error.Problems[0].File, error.Problems[0].Line));
        Assert.Equal((temp.Combine("images", "b.list"), 2), (error.Problems[1].File, error.Problems[1].Line));
    }

    [Fact]
    public void A_missing_list_or_an_empty_folder_is_an_error()
    {
        using var temp = new TempFolder();

        Assert.Contains("no such image list", Assert.Throws<ImageListException>(() => ImageList.Load(temp.Combine("nope.list"))).Message);
        Assert.Contains("holds no *.list", Assert.Throws<ImageListException>(() => ImageList.Load(temp.Path)).Message);
    }
}
