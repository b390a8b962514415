using Lading.Tests.Fixtures;
using Lading.Tools.Skopeo;

namespace Lading.Tests.Benchmark;

public sealed class SkopeoCommandLineTests : IDisposable
{
    private readonly ToolFixture _tools = new("skopeo");

    public void Dispose() => _tools.Dispose();

    private SkopeoRunner Skopeo() => new(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools);

    [Fact]
    public void Sync_from_a_yaml_file_into_dir_puts_the_policy_flag_before_the_command()
    {
        Skopeo().Sync("yaml", "/tmp/sync.yaml", "dir", "/tmp/out", settings: new SkopeoSettings { InsecurePolicy = true });

        Assert.Equal("skopeo --insecure-policy sync --src yaml --dest dir \"/tmp/sync.yaml\" \"/tmp/out\"", Assert.Single(_tools.CommandLines));
    }

    [Fact]
    public void Sync_of_a_plain_http_repository_turns_tls_verification_off_for_the_source_only()
    {
        Skopeo().Sync("docker", "127.0.0.1:5000/bench/app-000", "dir", "/tmp/out", sourceTlsVerify: false, settings: new SkopeoSettings());

        Assert.Equal("skopeo sync --src docker --dest dir --src-tls-verify=false \"127.0.0.1:5000/bench/app-000\" \"/tmp/out\"", Assert.Single(_tools.CommandLines));
    }

    [Fact]
    public void Copy_into_an_oci_layout_names_the_image_by_its_ref()
    {
        Skopeo().Copy("docker://127.0.0.1:5000/bench/app-000:1.0", "oci:/tmp/oci:bench/app-000:1.0", sourceTlsVerify: false, settings: new SkopeoSettings { InsecurePolicy = true });

        Assert.Equal(
            "skopeo --insecure-policy copy --src-tls-verify=false \"docker://127.0.0.1:5000/bench/app-000:1.0\" \"oci:/tmp/oci:bench/app-000:1.0\"",
            Assert.Single(_tools.CommandLines));
    }
}
