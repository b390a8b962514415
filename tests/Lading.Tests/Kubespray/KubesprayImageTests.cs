using Lading.Kubespray;

namespace Lading.Tests.Kubespray;

/// <summary>The Kubespray runner image's Dockerfile: deterministic text from the caller's inputs, hostile inputs refused.</summary>
public sealed class KubesprayImageTests
{
    [Fact]
    public void The_dockerfile_installs_the_requirements_before_copying_the_tree_and_runs_ansible_playbook()
    {
        var image = new KubesprayImage("docker.io/library/python:3.12-slim-bookworm", "v2.26.0");

        Assert.Equal(
            """
            FROM docker.io/library/python:3.12-slim-bookworm
            LABEL org.opencontainers.image.title="kubespray" org.opencontainers.image.version="v2.26.0"
            ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
            RUN apt-get update \
             && apt-get install -y --no-install-recommends openssh-client rsync sshpass \
             && rm -rf /var/lib/apt/lists/*
            WORKDIR /kubespray
            COPY requirements.txt ./
            RUN python3 -m pip install -r requirements.txt
            COPY . .
            ENTRYPOINT ["ansible-playbook"]
            CMD ["--version"]

            """,
            image.Dockerfile());
    }

    [Fact]
    public void A_pip_index_and_no_system_packages_change_only_their_lines()
    {
        var image = new KubesprayImage("harbor.example.com/library/python:3.12", "v2.26.0", [], "https://pypi.example.com/simple/");

        var text = image.Dockerfile();

        Assert.DoesNotContain("apt-get", text);
        Assert.Contains("RUN python3 -m pip install --index-url https://pypi.example.com/simple/ -r requirements.txt\n", text);
    }

    [Fact]
    public void The_same_inputs_give_the_same_bytes() =>
        Assert.Equal(
            new KubesprayImage("python:3.12", "v2.25.1", ["rsync", "openssh-client"]).Dockerfile(),
            new KubesprayImage("python:3.12", "v2.25.1", ["openssh-client", "rsync"]).Dockerfile());

    [Theory]
    [InlineData("python:3.12\nRUN curl evil", "v2.26.0", "base image")]
    [InlineData("python:3.12", "v2.26.0\" evil=\"", "Kubespray version")]
    public void Image_and_version_that_would_inject_lines_are_refused(string baseImage, string version, string place)
    {
        var error = Assert.Throws<KubesprayException>(() => new KubesprayImage(baseImage, version));
        Assert.Equal(place, error.Place);
    }

    [Theory]
    [InlineData("openssh-client; curl evil")]
    [InlineData("$(reboot)")]
    [InlineData("-y")]
    public void Package_names_with_shell_characters_are_refused(string package)
    {
        var error = Assert.Throws<KubesprayException>(() => new KubesprayImage("python:3.12", "v2.26.0", [package]));
        Assert.Contains("not a Debian package name", error.Message);
    }

    [Theory]
    [InlineData("ftp://pypi.example.com/simple")]
    [InlineData("https://pypi.example.com/simple -r /etc/passwd")]
    public void A_pip_index_must_be_a_plain_http_url(string url) =>
        Assert.Throws<KubesprayException>(() => new KubesprayImage("python:3.12", "v2.26.0", pipIndexUrl: url));

    [Fact]
    public void The_build_context_leaves_out_git_history_and_list_scratch() =>
        Assert.Equal(".git\ncontrib/offline/temp\n", KubesprayImage.DockerIgnore());
}
