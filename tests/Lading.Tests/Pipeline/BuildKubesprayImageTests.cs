using Cake.Core.IO;
using Cake.Core.Tooling;
using Lading.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Lading.Tests.Pipeline;

/// <summary>The Kubespray runner image: built from a generated Dockerfile, pushed to the internal registry, listed.</summary>
public sealed class BuildKubesprayImageTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-kubespray-image");
    private readonly ToolFixture _tools = new("git", "buildah", "docker");

    public void Dispose()
    {
        _tools.Dispose();
        _folder.Dispose();
    }

    // The Kubespray tree is fetched at its ref with git first; these tests look at the image build.
    private IEnumerable<string> Built => _tools.CommandLines.Where(c => !c.StartsWith("git ", StringComparison.Ordinal));

    private HostRun Build(params string[] args)
    {
        _folder.Write("kubespray/requirements.txt", "ansible==9.8.0\n");
        _folder.Write("out/images.list", "registry.k8s.io/pause:3.9\n");
        return HostHarness.RunLading(_folder.Path, null, ["--target=BuildKubesprayImage", "--exclusive", "--kubespray=kubespray", "--kubespray-ref=v2.25.0", "--output=out", .. args],
            services => services.AddSingleton<IProcessRunner>(_tools.Runner).AddSingleton<IToolLocator>(_tools.Tools));
    }

    [Fact]
    public void Buildah_builds_the_generated_dockerfile_and_pushes_to_a_loopback_registry_without_tls_checks()
    {
        var run = Build("--registry=127.0.0.1:5000");

        Assert.True(run.ExitCode == 0, run.Output);
        var dockerfile = _folder.Combine("work", "kubespray-image", "Dockerfile");
        Assert.Collection(
            Built,
            bud => Assert.StartsWith($"buildah bud --file \"{dockerfile}\" --layers --tag \"127.0.0.1:5000/release/kubespray:v2.25.0\" \"{_folder.Combine("work", "kubespray", "kubespray-v2.25.0-")}", bud),
            push => Assert.Equal("buildah push --tls-verify=false \"127.0.0.1:5000/release/kubespray:v2.25.0\" \"docker://127.0.0.1:5000/release/kubespray:v2.25.0\"", push));
        Assert.StartsWith("FROM docker.io/library/python:3.11-slim", File.ReadAllText(dockerfile));
        Assert.Equal("registry.k8s.io/pause:3.9\nrelease/kubespray:v2.25.0\n", File.ReadAllText(_folder.Combine("out", "images.list")));
    }

    [Fact]
    public void Docker_buildx_builds_and_pushes_in_one_command()
    {
        var run = Build("--registry=harbor.example.com", "--os-builder=buildx");

        Assert.True(run.ExitCode == 0, run.Output);
        var command = Assert.Single(Built);
        Assert.StartsWith("docker buildx build", command);
        Assert.Contains("--tag \"harbor.example.com/release/kubespray:v2.25.0\" --push", command);
    }

    [Fact]
    public void Without_an_internal_registry_the_image_is_not_built_and_the_summary_says_why()
    {
        var run = Build();

        Assert.Contains("no internal registry given (--registry): the Kubespray image is pushed there", run.Output);
        Assert.Empty(Built);
    }
}
