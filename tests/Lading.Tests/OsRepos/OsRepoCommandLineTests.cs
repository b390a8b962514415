using Cake.Core.IO;
using Lading.OsRepos;
using Lading.Tests.Fixtures;
using Lading.Tools.Apt;
using Lading.Tools.Buildah;
using Lading.Tools.Docker;
using Path = System.IO.Path;

namespace Lading.Tests.OsRepos;

/// <summary>The exact command lines of apt-get, dpkg-scanpackages, apt-ftparchive, buildah and docker buildx.</summary>
public sealed class OsRepoCommandLineTests : IDisposable
{
    private const string Root = "/work/apt/debian-12/amd64";

    private static readonly string Isolation =
        $"-o \"Dir={Root}/\" -o \"Dir::State={Root}/var/lib/apt\" -o \"Dir::State::Lists={Root}/var/lib/apt/lists\" " +
        $"-o \"Dir::State::status={Root}/var/lib/dpkg/status\" -o \"Dir::Etc={Root}/etc/apt\" -o \"Dir::Etc::SourceList={Root}/etc/apt/sources.list\" " +
        $"-o \"Dir::Etc::SourceParts={Root}/etc/apt/sources.list.d\" -o \"Dir::Etc::Parts={Root}/etc/apt/apt.conf.d\" " +
        $"-o \"Dir::Etc::Preferences={Root}/etc/apt/preferences\" -o \"Dir::Etc::PreferencesParts={Root}/etc/apt/preferences.d\" " +
        $"-o \"Dir::Etc::Trusted={Root}/etc/apt/trusted.gpg\" -o \"Dir::Etc::TrustedParts={Root}/etc/apt/trusted.gpg.d\" " +
        $"-o \"Dir::Cache={Root}/var/cache/apt\" -o \"Dir::Cache::archives=/cache/os/debian-12/amd64\" -o \"Debug::NoLocking=1\" -o \"Acquire::Languages=none\" " +
        "-o \"APT::Sandbox::User=root\" -o \"APT::Architecture=amd64\" -o \"APT::Architectures=amd64\"";

    private readonly ToolFixture _tools = new("apt-get", "dpkg-scanpackages", "apt-ftparchive", "buildah", "docker");

    private RecordingProcessRunner Runner => _tools.Runner;

    public void Dispose() => _tools.Dispose();

    private static AptGetSettings Isolated() => new()
    {
        Root = new DirectoryPath(Root),
        Architecture = "amd64",
        Archives = new DirectoryPath("/cache/os/debian-12/amd64"),
    };

    [Fact]
    public void Apt_get_runs_only_inside_its_root_with_the_host_configuration_replaced()
    {
        var apt = AptGet();

        apt.Update(Isolated());
        apt.SimulateInstall(["lading-app", "lading-lib=1.0"], Isolated());
        apt.InstallDownloadOnly(["lading-app"], Isolated());
        var download = Isolated();
        download.WorkingDirectory = new DirectoryPath("/cache/os/debian-12/amd64");
        apt.Download(["lading-app=1.0", "libfoo:i386=2.0"], download);

        Assert.Equal(
        [
            $"apt-get {Isolation} update",
            $"apt-get {Isolation} --simulate --no-install-recommends install \"lading-app\" \"lading-lib=1.0\"",
            $"apt-get {Isolation} --yes --download-only --no-install-recommends install \"lading-app\"",
            $"apt-get {Isolation} download \"lading-app=1.0\" \"libfoo:i386=2.0\"",
        ], Runner.CommandLines);
        Assert.All(Runner.Settings, s => Assert.Equal($"{Root}/etc/apt/apt.conf", s.EnvironmentVariables["APT_CONFIG"]));
        Assert.Equal("/cache/os/debian-12/amd64", Runner.Settings[3].WorkingDirectory.FullPath);
    }

    [Fact]
    public void The_repository_is_indexed_from_its_root_so_file_names_are_relative()
    {
        Runner.Respond = c => c.Contains("release") ? (0, ["Origin: Lading", "SHA256:"], []) : (0, ["Package: lading-app", "Filename: pool/lading-app_1.0_all.deb", ""], []);

        var packages = new DpkgScanPackagesRunner(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools).Scan(new DirectoryPath("/repos/debian-12/amd64"), "pool", new DpkgScanPackagesSettings { Architecture = "amd64" });
        var release = new AptFtpArchiveRunner(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools).Release(new DirectoryPath("/repos/debian-12/amd64"), [new("Origin", "Lading"), new("Label", "debian-12 offline")], new AptFtpArchiveSettings());

        Assert.Equal(
        [
            "dpkg-scanpackages --multiversion --arch \"amd64\" \"pool\" /dev/null",
            "apt-ftparchive -o \"APT::FTPArchive::Release::Origin=Lading\" -o \"APT::FTPArchive::Release::Label=debian-12 offline\" release .",
        ], Runner.CommandLines);
        Assert.All(Runner.Settings, s => Assert.Equal("/repos/debian-12/amd64", s.WorkingDirectory.FullPath));
        Assert.Equal("Package: lading-app\nFilename: pool/lading-app_1.0_all.deb\n", packages);
        Assert.Equal("Origin: Lading\nSHA256:\n", release);
    }

    [Fact]
    public void Hostile_package_names_are_refused_before_apt_runs()
    {
        using var folder = new TempFolder();
        var target = OsTarget.FromMirror("debian", "12", "amd64", new Uri("http://deb.debian.org/debian"), ["bookworm"], ["main"]);

        var error = Assert.Throws<OsRepoException>(() => AptBuilder().Build(target, [new OsPackage("curl", null, "os/debian-12.list:1"), new OsPackage("curl;reboot", null, "os/debian-12.list:2"), new OsPackage("$(id)", null, "os/debian-12.list:3")], Options(folder)));

        Assert.Equal(["os/debian-12.list:2", "os/debian-12.list:3"], error.Problems.Select(p => p.Where));
        Assert.Empty(Runner.CommandLines);
    }

    [Fact]
    public void Apt_refusing_a_pinned_version_names_the_package_its_line_and_the_target()
    {
        using var folder = new TempFolder();
        Runner.Respond = c => c.Contains("--simulate") ? (100, ["Reading package lists..."], ["E: Version '9.9' for 'socat' was not found", "E: Unable to locate package nothere"]) : (0, [], []);
        var target = OsTarget.FromMirror("debian", "12", "amd64", new Uri("http://deb.debian.org/debian"), ["bookworm"], ["main"]);

        var error = Assert.Throws<OsRepoException>(() => AptBuilder().Build(target, [new OsPackage("socat", "9.9", "os/debian-12.list:4"), new OsPackage("nothere", null, "os/debian-12.list:5")], Options(folder)));

        Assert.Equal(
        [
            new OsRepoProblem("os/debian-12.list:4", "version 9.9 of package 'socat' is not available for debian-12 (amd64) in the apt sources (http://deb.debian.org/debian bookworm)"),
            new OsRepoProblem("os/debian-12.list:5", "package 'nothere' is not available for debian-12 (amd64) in the apt sources (http://deb.debian.org/debian bookworm)"),
        ], error.Problems);
        Assert.Equal(2, Runner.CommandLines.Count);
    }

    [Fact]
    public void An_rpm_target_is_not_built_with_apt()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<OsRepoException>(() => AptBuilder().Build(new OsTarget("rocky", "9", "amd64"), [new OsPackage("socat", null, "x")], Options(folder)));

        Assert.Contains("rocky-9 (amd64): is not a Debian or Ubuntu target", error.Message);
        Assert.Empty(Runner.CommandLines);
    }

    [Fact]
    public void The_simulation_lists_the_closure_with_epochs_written_as_apt_names_files()
    {
        var closure = AptRepoBuilder.ParseSimulation(
        [
            "NOTE: This is only a simulation!",
            "Inst libc6 (2.36-9+deb12u4 Debian:12.5/stable, Debian-Security:12/stable-security [amd64])",
            "Inst ebtables (1:2.0.11-5 Debian:12.5/stable [amd64])",
            "Inst tzdata (2024a-0+deb12u1 Debian:12.5/stable [all])",
            "Inst libgcc-s1:i386 (12.2.0-14 Debian:12.5/stable [i386])",
            "Conf libc6 (2.36-9+deb12u4 Debian:12.5/stable [amd64])",
        ]);

        Assert.Equal(
        [
            new OsRepoPackage("libc6", "2.36-9+deb12u4", "amd64", "libc6_2.36-9+deb12u4_amd64.deb"),
            new OsRepoPackage("ebtables", "1:2.0.11-5", "amd64", "ebtables_1%3a2.0.11-5_amd64.deb"),
            new OsRepoPackage("tzdata", "2024a-0+deb12u1", "all", "tzdata_2024a-0+deb12u1_all.deb"),
            new OsRepoPackage("libgcc-s1", "12.2.0-14", "i386", "libgcc-s1_12.2.0-14_i386.deb"),
        ], closure);
    }

    [Fact]
    public void Buildah_bud_builds_with_its_own_storage_into_a_folder()
    {
        var settings = new BuildahSettings
        {
            StorageRoot = new DirectoryPath("/var/tmp/lading/storage"),
            RunRoot = new DirectoryPath("/run/lading"),
            StorageDriver = "vfs",
            Isolation = "chroot",
            File = new FilePath("/work/rpm/rocky-9/amd64/Dockerfile"),
            Platform = "linux/arm64",
            OutputDirectory = new DirectoryPath("/repos/rocky-9/arm64"),
            Pull = "missing",
            NoCache = true,
        };
        settings.BuildArgs["RELEASE"] = "9";
        settings.BuildArgs["MIRROR"] = "http://mirror.example.com/rocky";

        new BuildahRunner(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools).Bud(new DirectoryPath("/work/rpm/rocky-9/amd64"), settings);

        Assert.Equal(
            "buildah --root \"/var/tmp/lading/storage\" --runroot \"/run/lading\" --storage-driver \"vfs\" bud --isolation \"chroot\" " +
            "--file \"/work/rpm/rocky-9/amd64/Dockerfile\" --platform \"linux/arm64\" --build-arg \"MIRROR=http://mirror.example.com/rocky\" --build-arg \"RELEASE=9\" " +
            "--pull=missing --layers --no-cache --output \"type=local,dest=/repos/rocky-9/arm64\" \"/work/rpm/rocky-9/amd64\"",
            Assert.Single(Runner.CommandLines));
    }

    [Fact]
    public void Buildah_makes_an_image_from_files()
    {
        Runner.Respond = c => c.Contains(" from ") ? (0, ["working-container"], []) : (0, [], []);
        var buildah = new BuildahRunner(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools);
        var settings = new BuildahSettings();

        var container = buildah.From("scratch", settings);
        buildah.Copy(container, "/tmp/rootfs/", "/", settings);
        buildah.Commit(container, "localhost/base:1", settings);
        buildah.Remove(container, settings);

        Assert.Equal(
        [
            "buildah from --quiet \"scratch\"",
            "buildah copy --quiet \"working-container\" \"/tmp/rootfs/\" \"/\"",
            "buildah commit --quiet \"working-container\" \"localhost/base:1\"",
            "buildah rm \"working-container\"",
        ], Runner.CommandLines);
    }

    [Fact]
    public void Docker_buildx_builds_the_file_for_the_platform_into_a_local_folder()
    {
        var settings = new DockerBuildxSettings
        {
            File = new FilePath("/work/rpm/rocky-9/amd64/Dockerfile"),
            Platform = "linux/amd64",
            OutputDirectory = new DirectoryPath("/repos/rocky-9/amd64"),
            Pull = true,
            NoCache = true,
        };
        settings.BuildArgs["RELEASE"] = "9";

        new DockerBuildxRunner(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools).Build(new DirectoryPath("/work/rpm/rocky-9/amd64"), settings);
        new DockerBuildxRunner(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools).Build(new DirectoryPath("/src/kubespray"), new DockerBuildxSettings { Tag = "registry.local/release/kubespray:v2.24.1" });

        Assert.Equal(
        [
            "docker buildx build --progress=plain --file \"/work/rpm/rocky-9/amd64/Dockerfile\" --platform \"linux/amd64\" --build-arg \"RELEASE=9\" --pull --no-cache " +
            "--output \"type=local,dest=/repos/rocky-9/amd64\" \"/work/rpm/rocky-9/amd64\"",
            "docker buildx build --progress=plain --tag \"registry.local/release/kubespray:v2.24.1\" \"/src/kubespray\"",
        ], Runner.CommandLines);
    }

    [Fact]
    public void Choosing_docker_buildx_builds_the_generated_context_and_a_build_without_repodata_fails_by_name()
    {
        using var folder = new TempFolder();
        var options = new OsRepoOptions
        {
            Repositories = folder.Combine("repos"),
            Cache = folder.Combine("cache"),
            Work = folder.Combine("work"),
            Builder = ContainerBuilder.DockerBuildx,
            Docker = () => new DockerBuildxSettings(),
        };
        var builder = new RpmRepoBuilder(new BuildahRunner(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools), new DockerBuildxRunner(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools));

        var error = Assert.Throws<OsRepoException>(() => builder.Build(new OsTarget("openeuler", "22.03-lts", "arm64"), [new OsPackage("socat", null, "os/openeuler-22.03-lts.list:1")], options));

        var context = folder.Combine("work", "rpm", "openeuler-22.03-lts", "arm64");
        var command = Assert.Single(Runner.CommandLines);
        Assert.StartsWith($"docker buildx build --progress=plain --file \"{context}/Dockerfile\" --platform \"linux/arm64\" --output \"type=local,dest={folder.Combine("repos", "openeuler-22.03-lts", "arm64")}.partial-", command);
        Assert.EndsWith($"\" \"{context}\"", command);
        Assert.Contains("FROM docker.io/openeuler/openeuler:22.03-lts AS download", File.ReadAllText(Path.Combine(context, "Dockerfile")));
        Assert.Contains("openeuler-22.03-lts (arm64): the build of", error.Message);
        Assert.Contains("left no repodata/repomd.xml", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Combine("repos", "openeuler-22.03-lts")));
    }

    private OsRepoOptions Options(TempFolder folder) => new() { Repositories = folder.Combine("repos"), Cache = folder.Combine("cache"), Work = folder.Combine("work"), AptGet = _tools.Path("apt-get").FullPath };

    private AptGetRunner AptGet() => new(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools);

    private AptRepoBuilder AptBuilder() =>
        new(new AptGetRunner(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools), new DpkgScanPackagesRunner(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools), new AptFtpArchiveRunner(_tools.FileSystem, _tools.Environment, _tools.Runner, _tools.Tools));

}
