using System.Text.Json;
using System.Xml.Linq;
using Cake.Core;
using Lading.Images;
using Lading.Recipes;
using Lading.Tests.Fixtures;
using Lading.Tests.Images;
using Lading.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Lading.Tests.Pipeline;

/// <summary>SyncImages, CheckImages, MirrorImages and VerifyStore as Jenkins runs them, against real registries.</summary>
public sealed class ImageTasksTests(PopulatedRegistry source) : IClassFixture<PopulatedRegistry>, IDisposable
{
    private readonly TempFolder _folder = new("lading-image-tasks");

    public void Dispose() => _folder.Dispose();

    private HostRun Build(params string[] args) =>
        HostHarness.RunLading(_folder.Path, null, [$"--cache={_folder.Combine("cache")}", .. args]);

    private string Lists(params string[] images)
    {
        _folder.Write("images/images_platform.list", "# site names, pulled from the source registry\n" + string.Join('\n', images) + "\n");
        return _folder.Combine("images");
    }

    private JsonElement Summary() => JsonDocument.Parse(File.ReadAllText(_folder.Combine("out", "summary.json"))).RootElement;

    private string Output(string task, string name) =>
        Summary().GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("name").GetString() == task).GetProperty("outputs").GetProperty(name).GetString()!;

    [SkippableFact]
    public async Task Synced_images_are_served_back_by_a_read_only_registry_with_the_same_digests_and_a_warm_run_fetches_nothing()
    {
        var lists = Lists("library/plain:1.0", "library/oci:2.0", "release/multi:3.1");

        var cold = Build("--target=SyncImages", $"--images={lists}", $"--source-registry={source.Server.Host}", "--platform=all", "--layout=both", "--output=out");

        Assert.True(cold.ExitCode == 0, cold.Output);
        Assert.Equal("3", Output("SyncImages", "images"));
        Assert.NotEqual("0", Output("SyncImages", "bytes fetched"));
        using (var served = await DockerRegistry.StartAsync(_folder.Combine("out", "registry"), readOnly: true))
        {
            foreach (var image in new[] { "library/plain:1.0", "library/oci:2.0", "release/multi:3.1" })
            {
                Assert.Equal(await Skopeo.RawDigestAsync(source.Server.Host, image), await Skopeo.RawDigestAsync(served.Host, image));
            }
        }

        var oci = await Skopeo.InspectAsync($"oci:{_folder.Combine("out", "oci")}:library/oci:2.0");
        Assert.Equal(source.Oci.Digest.ToString(), oci.GetProperty("Digest").GetString());

        var warm = Build("--target=SyncImages", $"--images={lists}", $"--source-registry={source.Server.Host}", "--platform=all", "--layout=both", "--output=out");

        Assert.True(warm.ExitCode == 0, warm.Output);
        Assert.Equal("0", Output("SyncImages", "bytes fetched"));
    }

    [SkippableFact]
    public void Only_the_selected_platform_of_a_multi_arch_image_is_fetched()
    {
        var lists = Lists("release/multi:3.1");

        var run = Build("--target=SyncImages", $"--images={lists}", $"--source-registry={source.Server.Host}", "--platform=linux/arm64", "--output=out");

        Assert.True(run.ExitCode == 0, run.Output);
        var store = new ContentStore(_folder.Combine("cache"));
        Assert.True(store.Contains(source.MultiArm64.Digest));
        Assert.False(store.Contains(source.MultiAmd64.Digest));
    }

    [SkippableFact]
    public void Check_images_reports_every_missing_image_at_once_and_as_junit()
    {
        var lists = Lists("library/plain:1.0", "library/absent:1.0", "release/multi:3.1", "release/gone:9.9");

        var run = Build("--target=CheckImages", $"--images={lists}", $"--registry={source.Server.Host}", "--output=out");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"2 of 4 image(s) are missing from {source.Server.Host}", run.Output);
        Assert.Contains("library/absent:1.0", run.Output);
        Assert.Contains("release/gone:9.9", run.Output);
        Assert.Contains("images_platform.list:5", run.Output);
        var junit = XDocument.Load(_folder.Combine("out", "check-images.xml"));
        var cases = junit.Descendants("testcase").ToList();
        Assert.Equal(4, cases.Count);
        Assert.Equal(["library/absent:1.0", "release/gone:9.9"], cases.Where(c => c.Element("failure") is not null).Select(c => c.Attribute("name")!.Value));
    }

    [SkippableFact]
    public void A_check_on_its_own_tells_the_chats_which_images_are_missing_and_who_needs_them()
    {
        // The shape of a proposal branch: lists with their provenance beside them, owners in repos/*.yaml.
        var release = GitRepo.Init(_folder.Combine("release"))
            .Write("images/images_platform.list", "library/plain:1.0\nrelease/gone:9.9\n")
            .Write("images/provenance.yaml", "images:\n  'release/gone:9.9':\n  - addon: 'gone'\n    source: template\n    origin: 'gone/templates/deploy.yaml'\n")
            .Write("repos/gone.yaml", "- {repositoryFullName: acme/gone, currentTag: v9.9.0, chartPaths: [charts/gone], targetChartPath: addons, owners: [zhaoliu]}\n")
            .Commit("proposal");
        using var chat = new RecordingHttpServer(_ => new RecordedResponse(200, "{\"ok\":true}"));
        _folder.Write("check.yaml", "notify:\n  - kind: json\n    urlEnv: CHECK_HOOK\n");

        var run = HostHarness.RunLading(_folder.Path, new Dictionary<string, string> { ["CHECK_HOOK"] = chat.BaseAddress + "hook" }, [
            $"--cache={_folder.Combine("cache")}", "--recipe=check.yaml", "--target=CheckImages", $"--release-repo={release.Path}", $"--registry={source.Server.Host}", "--output=out",
        ]);

        Assert.Equal(1, run.ExitCode);
        var notice = Assert.Single(chat.Requests).Json();
        Assert.Equal("1 image(s) missing from " + source.Server.Host, notice.GetProperty("title").GetString());
        Assert.Equal("release/gone:9.9 (needed by gone; owners: zhaoliu): not found", notice.GetProperty("details")[0].GetProperty("text").GetString());
        Assert.Equal("zhaoliu", notice.GetProperty("mentions")[0].GetString());
    }

    [Fact]
    public void Check_images_without_a_registry_is_skipped_and_says_why()
    {
        Lists("library/plain:1.0");
        _folder.Write("verify.yaml", "targets:\n  CheckIfGiven:\n    description: checks images when a registry is given\n    dependsOn: [CheckImages]\n");

        var run = Build("--target=CheckIfGiven", "--recipe=verify.yaml", "--output=out");

        Assert.True(run.ExitCode == 0, run.Output);
        var task = Summary().GetProperty("tasks").EnumerateArray().First();
        Assert.Equal("skipped", task.GetProperty("status").GetString());
        Assert.Contains("no internal registry given", task.GetProperty("reason").GetString());
    }

    [Fact]
    public void Check_images_as_the_target_without_a_registry_is_skipped_and_removes_an_earlier_report()
    {
        var lists = Lists("library/plain:1.0");
        _folder.Write("out/check-images.xml", "<testsuites><testsuite name=\"CheckImages earlier\" tests=\"1\" failures=\"1\"/></testsuites>");

        var run = Build("--target=CheckImages", $"--images={lists}", "--output=out");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Skipping: no internal registry given (--registry or registry.internal), so images were not checked", run.Output);
        Assert.DoesNotContain("Could not reach target", run.Output);
        Assert.False(File.Exists(_folder.Combine("out", "check-images.xml")));
        var task = Assert.Single(Summary().GetProperty("tasks").EnumerateArray());
        Assert.Equal(("CheckImages", "skipped"), (task.GetProperty("name").GetString(), task.GetProperty("status").GetString()));
        Assert.Contains("no internal registry given", task.GetProperty("reason").GetString());
        Assert.Equal("succeeded", Summary().GetProperty("result").GetString());
    }

    [SkippableFact]
    public async Task Mirror_pushes_only_what_the_internal_registry_lacks()
    {
        await using var internalRegistry = await DockerRegistry.StartAsync();
        var lists = Lists("library/plain:1.0", "release/multi:3.1");

        var mirror = Build("--target=MirrorImages", $"--images={lists}", $"--source-registry={source.Server.Host}", $"--registry={internalRegistry.Host}", "--platform=all", "--output=out");
        var again = Build("--target=MirrorImages", $"--images={lists}", $"--source-registry={source.Server.Host}", $"--registry={internalRegistry.Host}", "--platform=all", "--output=out");
        var check = Build("--target=CheckImages", $"--images={lists}", $"--registry={internalRegistry.Host}", "--output=out");

        Assert.True(mirror.ExitCode == 0, mirror.Output);
        Assert.Contains($"pushed {internalRegistry.Host}/release/multi:3.1", mirror.Output);
        Assert.Equal(await Skopeo.RawDigestAsync(source.Server.Host, "release/multi:3.1"), await Skopeo.RawDigestAsync(internalRegistry.Host, "release/multi:3.1"));
        Assert.Contains("0 of 2 image(s) are missing", again.Output);
        Assert.True(check.ExitCode == 0, check.Output);
    }

    [SkippableFact]
    public void Verify_store_removes_a_corrupt_blob_and_the_next_sync_fetches_it_again()
    {
        var lists = Lists("library/plain:1.0");
        Build("--target=SyncImages", $"--images={lists}", $"--source-registry={source.Server.Host}", "--output=out");
        var blob = Path.Combine(_folder.Combine("cache"), "blobs", "sha256", source.Docker.Blobs[^1].Hex);
        File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(blob, "corrupted on disk");

        var verify = Build("--target=VerifyStore", "--output=out");
        var sync = Build("--target=SyncImages", $"--images={lists}", $"--source-registry={source.Server.Host}", "--output=out");

        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.Contains("removed corrupt blob " + source.Docker.Blobs[^1], verify.Output);
        Assert.True(sync.ExitCode == 0, sync.Output);
        Assert.Equal(source.Docker.Blobs[^1], Digest.Of(File.ReadAllBytes(blob)));
    }

    [Fact]
    public void Bad_lines_are_reported_with_file_and_line_before_anything_is_fetched()
    {
        var lists = Lists("library/plain:1.0", "Not A Reference!", "library/plain:1.0");

        var run = Build("--target=SyncImages", $"--images={lists}", "--source-registry=127.0.0.1:1", "--output=out");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("images_platform.list:3", run.Output);
        Assert.Contains("images_platform.list:4", run.Output);
    }
}
