using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Lading.Tests.Fixtures;
using Lading.Tools.Skopeo;

namespace Lading.Tests.Benchmark;

public sealed class SkopeoCommandLineTests
{
    private readonly RecordingProcessRunner _runner = new();
    private readonly CakeEnvironment _environment = new(new CakePlatform(), new CakeRuntime());
    private readonly FileSystem _fileSystem = new();

    // Any existing file stands in for the executable: the recording runner never starts it.
    private static readonly FilePath Executable = new(typeof(SkopeoCommandLineTests).Assembly.Location);

    private SkopeoRunner Skopeo()
    {
        var configuration = new CakeConfigurationProvider(_fileSystem, _environment).CreateConfiguration(_environment.WorkingDirectory, new Dictionary<string, string>());
        var tools = new ToolLocator(_environment, new ToolRepository(_environment), new ToolResolutionStrategy(_fileSystem, _environment, new Globber(_fileSystem, _environment), configuration, new NullLog()));
        return new SkopeoRunner(_fileSystem, _environment, _runner, tools);
    }

    [Fact]
    public void Sync_from_a_yaml_file_into_dir_puts_the_policy_flag_before_the_command()
    {
        Skopeo().Sync("yaml", "/tmp/sync.yaml", "dir", "/tmp/out", settings: new SkopeoSettings { ToolPath = Executable, InsecurePolicy = true });

        Assert.Equal("Lading.Tests.dll --insecure-policy sync --src yaml --dest dir \"/tmp/sync.yaml\" \"/tmp/out\"", Assert.Single(_runner.CommandLines));
    }

    [Fact]
    public void Sync_of_a_plain_http_repository_turns_tls_verification_off_for_the_source_only()
    {
        Skopeo().Sync("docker", "127.0.0.1:5000/bench/app-000", "dir", "/tmp/out", sourceTlsVerify: false, settings: new SkopeoSettings { ToolPath = Executable });

        Assert.Equal("Lading.Tests.dll sync --src docker --dest dir --src-tls-verify=false \"127.0.0.1:5000/bench/app-000\" \"/tmp/out\"", Assert.Single(_runner.CommandLines));
    }

    [Fact]
    public void Copy_into_an_oci_layout_names_the_image_by_its_ref()
    {
        Skopeo().Copy("docker://127.0.0.1:5000/bench/app-000:1.0", "oci:/tmp/oci:bench/app-000:1.0", sourceTlsVerify: false, settings: new SkopeoSettings { ToolPath = Executable, InsecurePolicy = true });

        Assert.Equal(
            "Lading.Tests.dll --insecure-policy copy --src-tls-verify=false \"docker://127.0.0.1:5000/bench/app-000:1.0\" \"oci:/tmp/oci:bench/app-000:1.0\"",
            Assert.Single(_runner.CommandLines));
    }
}
