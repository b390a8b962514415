using Lading.Kubespray;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Kubespray;

/// <summary>Where the Kubespray tree comes from: a local folder, or a tag fetched with git into the work folder.</summary>
public sealed class KubesprayCheckoutTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ToolFixture _git = new("git");

    public void Dispose()
    {
        _git.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void A_local_folder_without_a_ref_is_used_as_it_is()
    {
        var checkout = new KubesprayCheckout(new ToolHarness(_git).Git());

        Assert.Equal(_folder.Path, checkout.Resolve(_folder.Path, null, _folder.Combine("work")));
    }

    [Fact]
    public void A_url_without_a_ref_is_refused_naming_the_option()
    {
        var checkout = new KubesprayCheckout(new ToolHarness(_git).Git());

        var error = Assert.Throws<KubesprayException>(() => checkout.Resolve("https://github.com/kubernetes-sigs/kubespray.git", null, _folder.Path));

        Assert.Contains("--kubespray-ref", error.Message);
    }

    [Theory]
    [InlineData("v2.26.0 --upload-pack=evil")]
    [InlineData("-v2.26.0")]
    [InlineData("../v2.26.0")]
    public void A_ref_git_would_misread_is_refused(string @ref)
    {
        var checkout = new KubesprayCheckout(new ToolHarness(_git).Git());

        Assert.Throws<KubesprayException>(() => checkout.Resolve("https://github.com/kubernetes-sigs/kubespray.git", @ref, _folder.Path));
        Assert.Empty(_git.CommandLines);
    }

    [SkippableFact]
    public void A_tag_is_fetched_into_its_own_folder_under_the_work_folder()
    {
        Requires.Tool("git", "git");
        var remote = GitRepo.Init(_folder.Combine("kubespray"));
        remote.Write("contrib/offline/generate_list.sh", "#!/bin/bash\n").Commit("v2.25").Tag("v2.25.0");
        remote.Write("contrib/offline/generate_list.sh", "#!/bin/bash\n# newer\n").Commit("v2.26").Tag("v2.26.0");
        var checkout = new KubesprayCheckout(new ToolHarness().Git());

        var tree = checkout.Resolve(remote.Url, "v2.25.0", _folder.Combine("work"));

        Assert.StartsWith(_folder.Combine("work", "kubespray-v2.25.0-"), tree);
        Assert.Equal("#!/bin/bash\n", File.ReadAllText(Path.Combine(tree, "contrib/offline/generate_list.sh")));
        Assert.NotEqual(tree, checkout.Resolve(remote.Url, "v2.26.0", _folder.Combine("work")));
    }

    [SkippableFact]
    public void A_tag_that_does_not_exist_is_reported_with_the_source_and_tag()
    {
        Requires.Tool("git", "git");
        var remote = GitRepo.Init(_folder.Combine("kubespray"));
        remote.Write("README.md", "kubespray\n").Commit("init").Tag("v2.25.0");
        var checkout = new KubesprayCheckout(new ToolHarness().Git());

        var error = Assert.Throws<KubesprayException>(() => checkout.Resolve(remote.Url, "v9.9.9", _folder.Combine("work")));

        Assert.Equal($"{remote.Url}@v9.9.9", error.Place);
    }

    [SkippableFact]
    public void A_checkout_a_killed_run_left_locked_is_fetched_again()
    {
        Requires.Tool("git", "git");
        var remote = GitRepo.Init(_folder.Combine("kubespray"));
        remote.Write("contrib/offline/generate_list.sh", "#!/bin/bash\n").Commit("v2.25").Tag("v2.25.0");
        var checkout = new KubesprayCheckout(new ToolHarness().Git());
        var tree = checkout.Resolve(remote.Url, "v2.25.0", _folder.Combine("work"));

        // What git leaves when it is killed while fetching into a shallow repository.
        File.WriteAllText(Path.Combine(tree, ".git", "shallow.lock"), string.Empty);
        File.WriteAllText(Path.Combine(tree, ".git", "index.lock"), string.Empty);

        Assert.Equal(tree, checkout.Resolve(remote.Url, "v2.25.0", _folder.Combine("work")));
        Assert.False(File.Exists(Path.Combine(tree, ".git", "shallow.lock")));
        Assert.Equal("#!/bin/bash\n", File.ReadAllText(Path.Combine(tree, "contrib/offline/generate_list.sh")));
    }
}
