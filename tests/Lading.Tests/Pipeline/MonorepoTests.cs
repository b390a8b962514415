using Lading.Tests.Fixtures;

namespace Lading.Tests.Pipeline;

/// <summary>
/// Release repos fed by chart monorepos, shaped like the public ones: several charts in one repository, each on its
/// own tag family (kube-state-metrics-5.15.2 beside prometheus-node-exporter-4.24.0, or redis/18.1.0 beside
/// postgresql/13.2.0), named by several repos/*.yaml entries in two files; and work folders Jenkins reuses.
/// </summary>
public sealed class MonorepoTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-monorepo");
    private readonly GitRepo _community;
    private readonly GitRepo _charts;
    private readonly GitRepo _release;

    public MonorepoTests()
    {
        // prometheus-community shape: charts/<name>/, tags <name>-<version>, lightweight.
        _community = GitRepo.Init(_folder.Combine("git", "community", "helm-charts"));
        Chart(_community, "charts/kube-state-metrics", "kube-state-metrics", "5.15.2").Write("charts/prometheus-node-exporter/Chart.yaml", ChartYaml("prometheus-node-exporter", "4.24.0"))
            .Write("charts/prometheus-node-exporter/values.yaml", "image: quay.io/prometheus/node-exporter:v1.7.0\n")
            .Commit("two charts").Tag("kube-state-metrics-5.15.2").Tag("prometheus-node-exporter-4.24.0");
        Chart(_community, "charts/kube-state-metrics", "kube-state-metrics", "5.16.0").Commit("ksm 5.16.0").Tag("kube-state-metrics-5.16.0");
        _community.Write("charts/prometheus-node-exporter/Chart.yaml", ChartYaml("prometheus-node-exporter", "4.25.0")).Commit("pne 4.25.0").Tag("prometheus-node-exporter-4.25.0");
        Chart(_community, "charts/kube-state-metrics", "kube-state-metrics", "6.0.0").Commit("ksm 6").Tag("kube-state-metrics-6.0.0");

        // bitnami shape: bitnami/<name>/, tags <name>/<version>, and a chart linking to a shared file elsewhere in the repository.
        _charts = GitRepo.Init(_folder.Combine("git", "vendor", "charts"));
        _charts.Write("common/NOTES.txt", "shared notes\n").Write("bitnami/redis/Chart.yaml", ChartYaml("redis", "18.1.0"))
            .Link("bitnami/redis/templates/NOTES.txt", "../../../common/NOTES.txt")
            .Write("bitnami/postgresql/Chart.yaml", ChartYaml("postgresql", "13.2.0"))
            .Commit("redis and postgresql").Tag("redis/18.1.0").Tag("postgresql/13.2.0");
        _charts.Write("bitnami/redis/Chart.yaml", ChartYaml("redis", "18.1.1")).Commit("redis 18.1.1").Tag("redis/18.1.1");

        _release = GitRepo.Init(_folder.Combine("platform-release"))
            .Write("repos/monitoring.yaml", """
                - repositoryFullName: community/helm-charts
                  baseVersion: kube-state-metrics-5
                  currentTag: kube-state-metrics-5.15.2
                  chartPaths: [charts/kube-state-metrics]
                  targetChartPath: addons
                - repositoryFullName: community/helm-charts
                  baseVersion: prometheus-node-exporter-4
                  currentTag: prometheus-node-exporter-4.24.0
                  chartPaths: [charts/prometheus-node-exporter/]
                  targetChartPath: addons

                """)
            .Write("repos/data.yaml", """
                metadata: {name: data}
                spec:
                - repositoryFullName: vendor/charts
                  baseVersion: redis/18.1
                  currentTag: redis/18.1.0
                  chartPaths: [bitnami/redis]
                  targetChartPath: addons
                - repositoryFullName: vendor/charts
                  currentTag: postgresql/13.2.0
                  chartPaths: [./bitnami/postgresql]
                  targetChartPath: addons
                - repositoryFullName: community/helm-charts
                  currentTag: kube-state-metrics-5.15.2
                  chartPaths: [charts/kube-state-metrics]
                  targetChartPath: legacy

                """)
            .Write("version.yml", "spec:\n  modules:\n  - name: base\n    addons:\n    - {name: kube-state-metrics, namespace: monitoring, version: 5.15.2}\n")
            .Commit("release repo");
    }

    public void Dispose() => _folder.Dispose();

    private string Work => _folder.Combine("work");

    private HostRun Build(string releaseRepo, string gitBase, params string[] args) =>
        HostHarness.RunLading(_folder.Path, null, [$"--release-repo={releaseRepo}", $"--git-base-url={gitBase}", $"--work={Work}", .. args]);

    private string Released(string relative) => File.ReadAllText(Path.Combine(_release.Path, relative));

    [Fact]
    public void Entries_of_one_monorepo_on_their_own_tag_families_are_each_collected_from_their_own_tag()
    {
        var run = Build(_release.Path, "file://" + _folder.Combine("git"), "--target=CollectCharts");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("currentTag: kube-state-metrics-5.16.0", Released("repos/monitoring.yaml"));
        Assert.Contains("currentTag: prometheus-node-exporter-4.25.0", Released("repos/monitoring.yaml"));
        Assert.Contains("currentTag: redis/18.1.1", Released("repos/data.yaml"));
        Assert.Equal(ChartYaml("kube-state-metrics", "5.16.0"), Released("addons/kube-state-metrics/Chart.yaml"));
        Assert.Equal(ChartYaml("prometheus-node-exporter", "4.25.0"), Released("addons/prometheus-node-exporter/Chart.yaml"));
        Assert.Equal(ChartYaml("redis", "18.1.1"), Released("addons/redis/Chart.yaml"));
        Assert.Equal(ChartYaml("postgresql", "13.2.0"), Released("addons/postgresql/Chart.yaml"));
        Assert.Equal("shared notes\n", Released("addons/redis/templates/NOTES.txt"));

        // The entry without baseVersion stays on its tag, collected from that tag while the others moved on.
        Assert.Equal(ChartYaml("kube-state-metrics", "5.15.2"), Released("legacy/kube-state-metrics/Chart.yaml"));

        // One repository per URL, whatever the number of entries and files naming it.
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(Work, "components")).Length);
    }

    [Fact]
    public void A_chart_of_many_files_comes_in_one_request_and_nothing_else_of_its_repository_is_fetched()
    {
        // A service's repository served as GitHub and GitLab serve them: file contents only when asked for.
        var service = GitRepo.Init(_folder.Combine("git", "paas", "orders"));
        service.Git("config", "uploadpack.allowFilter", "true");
        service.Write("src/main.go", "package main\n").Write("deploy/helm/orders/Chart.yaml", ChartYaml("orders", "2.4.0"));
        for (var i = 0; i < 24; i++)
        {
            service.Write($"deploy/helm/orders/templates/part-{i:D2}.yaml", $"kind: ConfigMap\nmetadata:\n  name: part-{i}\n");
        }

        service.Commit("orders 2.4.0").Tag("v2.4.0");
        var source = service.Git("rev-parse", "v2.4.0:src/main.go").Trim();
        var release = GitRepo.Init(_folder.Combine("orders-release"))
            .Write("repos/orders.yaml", "- repositoryFullName: paas/orders\n  currentTag: v2.4.0\n  chartPaths: [deploy/helm/orders]\n  targetChartPath: addons\n")
            .Write("version.yml", "spec:\n  modules:\n  - name: base\n    addons:\n    - {name: orders, namespace: orders, version: 2.4.0}\n")
            .Commit("release repo");

        var run = Build(release.Path, "file://" + _folder.Combine("git"), "--target=CollectCharts", "--exclusive");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(25, Directory.GetFiles(Path.Combine(release.Path, "addons", "orders"), "*", SearchOption.AllDirectories).Length);
        var clone = Path.Combine(Assert.Single(Directory.GetDirectories(Path.Combine(Work, "components"), "paas_orders-*")), "git");
        // Each fetch keeps its own pack: the tag's commit and trees, then every file of the chart at once.
        Assert.Equal(2, Directory.GetFiles(Path.Combine(clone, ".git", "objects", "pack"), "*.promisor").Length);
        // What the clone holds, listed without fetching anything: the service's sources never came.
        var held = Shell.Run(Requires.Tool("git", "git"), ["-C", clone, "cat-file", "--batch-check=%(objectname)", "--batch-all-objects"]);
        Assert.Equal(0, held.ExitCode);
        Assert.DoesNotContain(source, held.Output);
        Assert.Contains(service.Git("rev-parse", "v2.4.0:deploy/helm/orders/Chart.yaml").Trim(), held.Output);
    }

    [SkippableFact]
    public async Task A_chart_comes_with_the_charts_it_depends_on_from_beside_it_and_from_a_chart_repository()
    {
        var helm = Requires.Helm();
        // A chart repository, as one serves its index.yaml and archives.
        var metricsChart = _folder.Write("upstream/metrics/Chart.yaml", ChartYaml("metrics", "1.2.0"));
        var archive = await Lading.Charts.ChartPackager.PackageAsync(Path.GetDirectoryName(metricsChart)!, _folder.Combine("upstream-repo"));
        await using var charts = new RecordingHttpServer(async (context, request) =>
        {
            var found = request.Path == "/index.yaml";
            var bytes = found
                ? System.Text.Encoding.UTF8.GetBytes($"apiVersion: v1\nentries:\n  metrics:\n  - apiVersion: v2\n    name: metrics\n    version: 1.2.0\n    digest: {archive.Sha256.Hex}\n    urls: [metrics-1.2.0.tgz]\ngenerated: \"2026-01-01T00:00:00Z\"\n")
                : request.Path == "/metrics-1.2.0.tgz" ? await File.ReadAllBytesAsync(archive.Path) : [];
            context.Response.StatusCode = bytes.Length > 0 ? 200 : 404;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        });
        // bitnami shape: bitnami/<name>/ depending on bitnami/common beside it, and on a chart of another repository.
        var vendor = GitRepo.Init(_folder.Combine("git", "acme", "charts"));
        vendor.Write("bitnami/common/Chart.yaml", "apiVersion: v2\nname: common\ntype: library\nversion: 2.14.1\n")
            .Write("bitnami/common/templates/_names.tpl", "{{- define \"common.names.fullname\" -}}{{ .Release.Name }}{{- end -}}\n")
            .Write("bitnami/cache/Chart.yaml", ChartYaml("cache", "7.2.4") + $"dependencies:\n- name: common\n  version: 2.x.x\n  repository: file://../common\n- name: metrics\n  version: 1.2.0\n  repository: {charts.BaseAddress.ToString().TrimEnd('/')}\n  condition: metrics.enabled\n")
            .Write("bitnami/cache/templates/cm.yaml", "kind: ConfigMap\nmetadata:\n  name: {{ include \"common.names.fullname\" . }}\n")
            .Write("bitnami/other/Chart.yaml", ChartYaml("other", "1.0.0"))
            .Commit("cache 7.2.4").Tag("cache/7.2.4");
        var release = CacheRelease();

        var run = Build(release.Path, "file://" + _folder.Combine("git"), "--target=CollectCharts", "--exclusive", $"--helm={helm}");

        Assert.True(run.ExitCode == 0, run.Output);
        var vendored = Path.Combine(release.Path, "addons", "cache", "charts");
        Assert.Equal(["common-2.14.1.tgz", "metrics-1.2.0.tgz"], Directory.GetFiles(vendored).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Lading.Charts.ChartDependencies.Missing(Path.Combine(release.Path, "addons", "cache")));
        Assert.False(Directory.Exists(Path.Combine(release.Path, "addons", "common")));
        Assert.Contains(charts.Requests, r => r.Path == "/metrics-1.2.0.tgz");
        // The chart from beside it has the same bytes each time it is collected: a later release sees it unchanged.
        var common = await Lading.Charts.ChartPackager.PackageAsync(Path.Combine(vendor.Path, "bitnami", "common"), _folder.Combine("common-packed"));
        Assert.Equal(common.Sha256.Hex, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(vendored, "common-2.14.1.tgz")))));
    }

    [SkippableFact]
    public void A_chart_whose_dependency_cannot_be_fetched_is_not_collected_and_the_run_says_which_and_why()
    {
        var helm = Requires.Helm();
        var vendor = GitRepo.Init(_folder.Combine("git", "acme", "charts"));
        vendor.Write("bitnami/cache/Chart.yaml", ChartYaml("cache", "7.2.4") + "dependencies:\n- name: common\n  version: 2.x.x\n  repository: file://../common\n")
            .Commit("cache 7.2.4 without common").Tag("cache/7.2.4");
        var release = CacheRelease();

        var run = Build(release.Path, "file://" + _folder.Combine("git"), "--target=CollectCharts", "--exclusive", $"--helm={helm}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("acme/charts@cache/7.2.4:bitnami/cache: its dependencies common 2.x.x from file://../common could not be fetched", run.Output);
        Assert.False(Directory.Exists(Path.Combine(release.Path, "addons", "cache")));
    }

    [SkippableFact]
    public void A_chart_depending_on_a_chart_outside_its_repository_is_refused_and_nothing_of_it_is_read()
    {
        var helm = Requires.Helm();
        var secret = _folder.Write("agent-home/secret-chart/Chart.yaml", "apiVersion: v2\nname: secret\nversion: 1.0.0\n");
        var vendor = GitRepo.Init(_folder.Combine("git", "acme", "charts"));
        vendor.Write("bitnami/cache/Chart.yaml", ChartYaml("cache", "7.2.4") + $"dependencies:\n- name: secret\n  version: 1.0.0\n  repository: file://{Path.GetDirectoryName(secret)}\n- name: escape\n  version: 1.0.0\n  repository: file://../../../../agent-home/secret-chart\n")
            .Commit("cache 7.2.4").Tag("cache/7.2.4");
        var release = CacheRelease();

        var run = Build(release.Path, "file://" + _folder.Combine("git"), "--target=CollectCharts", "--exclusive", $"--helm={helm}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"acme/charts@cache/7.2.4:bitnami/cache depends on secret 1.0.0 from file://{Path.GetDirectoryName(secret)}, outside its repository: refused", run.Output);
        Assert.Contains("acme/charts@cache/7.2.4:bitnami/cache depends on escape 1.0.0 from file://../../../../agent-home/secret-chart, outside its repository: refused", run.Output);
        Assert.False(Directory.Exists(Path.Combine(release.Path, "addons", "cache")));
        Assert.Empty(Directory.GetFiles(Work, "secret-*.tgz", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_second_run_reuses_what_the_first_fetched_even_with_the_server_gone()
    {
        var first = Build(_release.Path, "file://" + _folder.Combine("git"), "--target=CollectCharts", "--exclusive");
        Assert.True(first.ExitCode == 0, first.Output);
        _release.Git("clean", "-fdq");
        Directory.Move(_folder.Combine("git"), _folder.Combine("git-offline"));

        var second = Build(_release.Path, "file://" + _folder.Combine("git"), "--target=CollectCharts", "--exclusive");

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(ChartYaml("kube-state-metrics", "5.15.2"), Released("addons/kube-state-metrics/Chart.yaml"));
    }

    [Fact]
    public void A_moved_git_server_is_fetched_from_its_new_address_in_the_same_work_folder()
    {
        var remoteRelease = GitRepo.Init(_folder.Combine("old-server", "platform", "platform-release"));
        remoteRelease.Git("pull", "--quiet", _release.Path, "main");
        var first = Build(remoteRelease.Url, "file://" + _folder.Combine("git"), "--target=CollectCharts", "--exclusive");
        Assert.True(first.ExitCode == 0, first.Output);

        // The server moves: same repository names, another host path; the old one is gone.
        Directory.Move(_folder.Combine("old-server"), _folder.Combine("new-server"));
        Directory.Move(_folder.Combine("git"), _folder.Combine("git-moved"));
        var moved = Build("file://" + _folder.Combine("new-server", "platform", "platform-release"), "file://" + _folder.Combine("git-moved"), "--target=CollectCharts", "--exclusive");

        Assert.True(moved.ExitCode == 0, moved.Output);
        Assert.Contains("Collected 5 chart(s)", moved.Output);
    }

    [Fact]
    public void Clones_a_killed_run_left_locked_are_made_again()
    {
        var remoteRelease = GitRepo.Init(_folder.Combine("server", "platform-release"));
        remoteRelease.Git("pull", "--quiet", _release.Path, "main");
        var first = Build(remoteRelease.Url, "file://" + _folder.Combine("git"), "--target=CollectCharts", "--exclusive");
        Assert.True(first.ExitCode == 0, first.Output);

        // What a fetch killed midway leaves behind: git's lock files, which make every later git command fail.
        foreach (var git in Directory.GetDirectories(Work, ".git", SearchOption.AllDirectories))
        {
            File.WriteAllText(Path.Combine(git, "index.lock"), string.Empty);
            File.WriteAllText(Path.Combine(git, "shallow.lock"), string.Empty);
        }

        remoteRelease.Write("notes.txt", "a newer commit\n").Commit("newer");
        _community.Write("charts/kube-state-metrics/Chart.yaml", ChartYaml("kube-state-metrics", "5.16.1")).Commit("5.16.1").Tag("kube-state-metrics-5.16.1");
        var rerun = Build(remoteRelease.Url, "file://" + _folder.Combine("git"), "--target=CollectCharts");

        Assert.True(rerun.ExitCode == 0, rerun.Output);
        Assert.Contains("could not be used", rerun.Output);
        var clone = Directory.GetDirectories(Path.Combine(Work, "release-repo")).Single();
        Assert.True(File.Exists(Path.Combine(clone, "notes.txt")));
        Assert.Equal(ChartYaml("kube-state-metrics", "5.16.1"), File.ReadAllText(Path.Combine(clone, "addons/kube-state-metrics/Chart.yaml")));
    }

    [Fact]
    public void Two_charts_of_one_name_and_a_chart_off_its_tag_are_reported_together_and_stop_a_strict_run()
    {
        // A second chart named redis (as forks and -crds charts are), released from the same monorepo.
        _charts.Write("bitnami/redis-cluster/Chart.yaml", ChartYaml("redis", "9.1.0")).Commit("redis cluster").Tag("redis-cluster/9.1.0");
        _release.Write("repos/cluster.yaml", "- {repositoryFullName: vendor/charts, currentTag: redis-cluster/9.1.0, chartPaths: [bitnami/redis-cluster], targetChartPath: addons}\n")
            .Write("version.yml", "spec:\n  modules:\n  - name: base\n    addons:\n    - {name: kube-state-metrics, namespace: monitoring, version: 5.15.2}\n    - {name: redis-cluster, namespace: data}\n")
            .Commit("redis cluster");

        var run = Build(_release.Path, "file://" + _folder.Combine("git"), "--target=UpdateVersions", "--allow-dirty");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("addons/redis-cluster/Chart.yaml: the chart in addons/redis-cluster is named 'redis'", run.Output);
        Assert.Contains("version.yml:6:7: addon redis-cluster is installed from addons/redis-cluster, whose Chart.yaml names the chart 'redis'", run.Output);
        Assert.Contains("{name: redis-cluster, version: 9.1.0, namespace: data}", Released("version.yml"));

        _release.Write("addons/kube-state-metrics/Chart.yaml", ChartYaml("kube-state-metrics", "5.16.5"));
        var strict = Build(_release.Path, "file://" + _folder.Combine("git"), "--target=UpdateVersions", "--exclusive", "--allow-dirty", "--strict");

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("community/helm-charts is released at kube-state-metrics-5.16.0, but its chart addons/kube-state-metrics has version 5.16.5", strict.Output);
        Assert.Contains("is named 'redis'", strict.Output);
    }

    private static GitRepo Chart(GitRepo repo, string path, string name, string version) =>
        repo.Write($"{path}/Chart.yaml", ChartYaml(name, version)).Write($"{path}/values.yaml", $"image: registry.k8s.io/{name}/{name}:v{version}\n");

    /// <summary>A release repo taking acme/charts' bitnami/cache chart at cache/7.2.4.</summary>
    private GitRepo CacheRelease() =>
        GitRepo.Init(_folder.Combine("cache-release"))
            .Write("repos/cache.yaml", "- repositoryFullName: acme/charts\n  currentTag: cache/7.2.4\n  chartPaths: [bitnami/cache]\n  targetChartPath: addons\n")
            .Write("version.yml", "spec:\n  modules:\n  - name: base\n    addons:\n    - {name: cache, namespace: cache, version: 7.2.4}\n")
            .Commit("release repo");

    private static string ChartYaml(string name, string version) =>
        $"apiVersion: v2\nname: {name}\nversion: {version}\n";
}
