using Lading.Tests.Fixtures;

namespace Lading.Tests.Pipeline;

/// <summary>
/// Platform and hotfix packages installed as an operator installs them: unpacked beside their .sha256, install.sh run
/// with bash against a stand-in cluster (kubectl keeping configmaps, helm recording upgrades and uninstalls, the real
/// helm rendering). What the cluster records (configmaps platform-version and system-info) and every change are checked.
/// </summary>
public sealed class SiteInstallTests(SitePackages packages) : IClassFixture<SitePackages>, IDisposable
{
    private const string Registry = "registry.site.test:5443";
    private const string Ca = "-----BEGIN CERTIFICATE-----\nMIIBsite\n-----END CERTIFICATE-----";
    private readonly TempFolder _folder = new("lading-site");
    private readonly Dictionary<string, string> _unpacked = [];

    public void Dispose() => _folder.Dispose();

    private SitePackages.Built Built => packages.Packages;

    private SiteCluster NewCluster(string name = "cluster")
    {
        _ = SiteCluster.Python;
        Requires.Helm();
        return new SiteCluster(_folder.Combine(name));
    }

    /// <summary>The package unpacked in a folder of its own (two hotfixes share a file name), beside its .sha256.</summary>
    private string Unpacked(string tar)
    {
        if (!_unpacked.TryGetValue(tar, out var root))
        {
            _unpacked[tar] = root = SitePackages.Unpack(tar, _folder.Combine("site", Path.GetFileName(Path.GetDirectoryName(tar)!)));
        }

        return root;
    }

    private Dictionary<string, string> PlatformVariables() => new()
    {
        ["REGISTRY_DOMAIN"] = Registry,
        ["API_VIP"] = "10.20.0.100",
        ["REGISTRY_CA"] = _folder.Write("ca.pem", Ca + "\n"),
        ["REGISTRY_STORAGE"] = _folder.Combine("registry-storage"),
    };

    private ShellResult Install(SiteCluster cluster, string tar, Dictionary<string, string>? variables = null, params string[] arguments)
    {
        variables ??= new Dictionary<string, string> { ["REGISTRY_STORAGE"] = _folder.Combine("registry-storage") };
        return cluster.Install(Unpacked(tar), arguments, variables);
    }

    private ShellResult InstallPlatform(SiteCluster cluster)
    {
        var result = Install(cluster, Built.Platform, PlatformVariables());
        Assert.True(result.ExitCode == 0, result.All);
        return result;
    }

    private static string Upgrade(string root, string chart, string version, string @namespace) =>
        $"helm upgrade --install {chart} {root}/charts/{chart}-{version}.tgz --namespace {@namespace} --create-namespace --set-string global.imageRegistry={Registry} --wait";

    private static string Applied(string line) =>
        line.StartsWith("kubectl apply -f ", StringComparison.Ordinal) ? "kubectl apply " + Path.GetFileName(line) : line;

    [SkippableFact]
    public void A_platform_and_two_hotfixes_installed_in_order_leave_a_ledger_of_three()
    {
        var cluster = NewCluster();

        var platform = InstallPlatform(cluster);
        var first = Install(cluster, Built.Hotfix101);
        var second = Install(cluster, Built.Hotfix102Chained);

        Assert.True(first.ExitCode == 0, first.All);
        Assert.True(second.ExitCode == 0, second.All);
        var ledger = cluster.ConfigMap("platform-version")!;
        Assert.Equal(
            ("v1.0.2", "hotfix", "v1.0.1", "platform-v1.0.2-hotfix", SitePackages.Sha256Of(Built.Hotfix102Chained)),
            (ledger["version"], ledger["kind"], ledger["base"], ledger["package"], ledger["sha256"]));
        Assert.Equal("cache v7.2.4 kube-system\ngateway v1.25.4 kube-system", ledger["charts"]);
        var history = ledger["history"].Split('\n');
        Assert.Equal(3, history.Length);
        var time = @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ";
        Assert.Matches($"^{time} platform v1.0.0 base=- commit={Built.Commit100} sha256={SitePackages.Sha256Of(Built.Platform)} package=platform-v1.0.0$", history[0]);
        Assert.Matches($"^{time} hotfix v1.0.1 base=v1.0.0 commit=[0-9a-f]{{40}} sha256={SitePackages.Sha256Of(Built.Hotfix101)} package=platform-v1.0.1-hotfix$", history[1]);
        Assert.Matches($"^{time} hotfix v1.0.2 base=v1.0.1 commit=[0-9a-f]{{40}} sha256={SitePackages.Sha256Of(Built.Hotfix102Chained)} package=platform-v1.0.2-hotfix$", history[2]);
        Assert.Equal(history[2].Split(' ')[0], ledger["installed"]);
        Assert.Contains("platform v1.0.0 installed; the ledger: kubectl -n kube-system get configmap platform-version -o yaml", platform.Output);

        var (root100, root101, root102) = (Unpacked(Built.Platform), Unpacked(Built.Hotfix101), Unpacked(Built.Hotfix102Chained));
        Assert.Equal(
            [
                Upgrade(root100, "gateway", "v1.25.3", "kube-system"),
                Upgrade(root100, "console", "v1.0.0", "console-system"),
                "kubectl apply system-info.json",
                "kubectl apply platform-version.json",
                Upgrade(root101, "cache", "v7.2.4", "kube-system"),
                "kubectl apply platform-version.json",
                Upgrade(root102, "gateway", "v1.25.4", "kube-system"),
                "helm uninstall console --namespace console-system",
                "kubectl apply platform-version.json",
            ],
            cluster.Changes.Select(Applied));
    }

    [SkippableFact]
    public void The_platform_records_the_registry_its_ca_and_the_api_vip_in_system_info()
    {
        var cluster = NewCluster();

        InstallPlatform(cluster);

        Assert.Equal(
            new Dictionary<string, string> { ["registryDomain"] = Registry, ["registryCA"] = Ca, ["apiVIP"] = "10.20.0.100" },
            cluster.ConfigMap("system-info"));
    }

    [SkippableFact]
    public void Without_a_registry_or_a_vip_the_platform_install_changes_nothing_and_says_which_variable()
    {
        var cluster = NewCluster();

        var result = Install(cluster, Built.Platform);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("REGISTRY_DOMAIN is not set and configmap system-info records no registryDomain", result.Error);
        Assert.Empty(cluster.Changes);
        Assert.False(Directory.Exists(_folder.Combine("registry-storage")));
    }

    [SkippableFact]
    public void The_platform_takes_the_registry_and_the_vip_system_info_already_records()
    {
        var cluster = NewCluster();
        File.WriteAllText(cluster.Store, """{"kube-system/system-info": {"data": {"registryDomain": "REGISTRY", "registryCA": "", "apiVIP": "10.20.0.7"}}}""".Replace("REGISTRY", Registry));

        var result = Install(cluster, Built.Platform);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains($"--set-string global.imageRegistry={Registry}", string.Join('\n', cluster.Changes));
        Assert.Equal("10.20.0.7", cluster.ConfigMap("system-info")!["apiVIP"]);
        Assert.Equal("v1.0.0", cluster.ConfigMap("platform-version")!["version"]);
    }

    [SkippableFact]
    public void A_chart_only_hotfix_installs_its_charts_with_the_namespace_of_version_yml()
    {
        var cluster = NewCluster();
        InstallPlatform(cluster);
        Assert.Equal(0, Install(cluster, Built.Hotfix101).ExitCode);
        cluster.ForgetCalls();
        var root = Unpacked(Built.Hotfix102Chained);

        // No REGISTRY_DOMAIN: the hotfix takes the registry the platform recorded in system-info.
        var result = cluster.Install(root, [], new Dictionary<string, string>());

        Assert.True(result.ExitCode == 0, result.All);
        Assert.False(Directory.Exists(Path.Combine(root, "images", "registry")));
        Assert.Contains("this package carries no images: its charts use those the site registry already holds", result.Output);
        Assert.Equal(Upgrade(root, "gateway", "v1.25.4", "kube-system"), cluster.Changes[0]);
        Assert.Equal("v1.0.2", cluster.ConfigMap("platform-version")!["version"]);
    }

    [SkippableFact]
    public void A_hotfix_that_deletes_a_chart_names_it_first_and_uninstalls_it_after_the_upgrades()
    {
        var cluster = NewCluster();
        InstallPlatform(cluster);
        cluster.ForgetCalls();
        var root = Unpacked(Built.Hotfix102);

        var result = Install(cluster, Built.Hotfix102);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(
            [Upgrade(root, "gateway", "v1.25.4", "kube-system"), Upgrade(root, "cache", "v7.2.4", "kube-system"), "helm uninstall console --namespace console-system", "kubectl apply platform-version.json"],
            cluster.Changes.Select(Applied));
        var output = result.Output;
        Assert.True(output.IndexOf("install.sh:   removes chart console", StringComparison.Ordinal) < output.IndexOf("chart gateway v1.25.4: helm upgrade --install", StringComparison.Ordinal), output);
        Assert.Contains("install.sh: removing the charts v1.0.2 deletes: console\n", output);
        Assert.DoesNotContain("console", File.ReadAllText(cluster.Releases));
        Assert.Equal("cache v7.2.4 kube-system\ngateway v1.25.4 kube-system", cluster.ConfigMap("platform-version")!["charts"]);
    }

    [SkippableFact]
    public void A_hotfix_built_on_another_version_is_refused_and_the_ledger_is_unchanged_unless_forced()
    {
        var cluster = NewCluster();
        InstallPlatform(cluster);
        var before = cluster.StoreText;
        cluster.ForgetCalls();

        var refused = Install(cluster, Built.Hotfix102Chained);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("This hotfix (v1.0.2) installs only on platform v1.0.1 or an earlier hotfix of it; the cluster records 'v1.0.0'. Nothing was changed", refused.Error);
        Assert.Equal(before, cluster.StoreText);
        Assert.Empty(cluster.Changes);

        var forced = Install(cluster, Built.Hotfix102Chained, null, "--force");

        Assert.True(forced.ExitCode == 0, forced.All);
        Assert.Contains("--force: installing over 'v1.0.0'", forced.Output);
        var ledger = cluster.ConfigMap("platform-version")!;
        Assert.Equal("v1.0.2", ledger["version"]);
        Assert.EndsWith("package=platform-v1.0.2-hotfix forced-over=v1.0.0", ledger["history"]);
    }

    [SkippableFact]
    public void A_later_hotfix_of_the_same_base_supersedes_an_earlier_one_but_not_the_reverse()
    {
        var cluster = NewCluster();
        InstallPlatform(cluster);
        Assert.Equal(0, Install(cluster, Built.Hotfix101).ExitCode);

        var later = Install(cluster, Built.Hotfix102);
        var before = cluster.StoreText;
        var earlier = Install(cluster, Built.Hotfix101);

        Assert.True(later.ExitCode == 0, later.All);
        Assert.Equal(1, earlier.ExitCode);
        Assert.Contains("the cluster records 'v1.0.2'", earlier.Error);
        Assert.Equal(before, cluster.StoreText);
        Assert.Equal(3, cluster.ConfigMap("platform-version")!["history"].Split('\n').Length);
    }

    [SkippableFact]
    public void A_failed_chart_stops_the_install_naming_it_and_the_ledger_is_untouched()
    {
        var cluster = NewCluster();
        InstallPlatform(cluster);
        var before = cluster.StoreText;
        cluster.ForgetCalls();
        cluster.FailUpgradeOf("cache");
        var root = Unpacked(Built.Hotfix102);

        var result = Install(cluster, Built.Hotfix102);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("install.sh: chart cache v7.2.4 failed to install: stopped there, the ledger is untouched", result.Error);
        Assert.Equal(before, cluster.StoreText);
        Assert.Equal([Upgrade(root, "gateway", "v1.25.4", "kube-system"), Upgrade(root, "cache", "v7.2.4", "kube-system")], cluster.Changes);
    }

    [SkippableFact]
    public void A_failed_chart_of_the_release_installer_stops_the_platform_install_and_nothing_is_recorded()
    {
        var cluster = NewCluster();
        cluster.FailUpgradeOf("console");

        var result = Install(cluster, Built.Platform, PlatformVariables());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("install-charts.sh: addon console v1.0.0 failed", result.Error);
        Assert.Contains("install-charts.sh (the release's installer) failed: the ledger is untouched", result.Error);
        Assert.Equal(string.Empty, cluster.StoreText);
    }

    [SkippableFact]
    public void Running_the_same_install_again_changes_nothing_it_recorded()
    {
        var cluster = NewCluster();
        InstallPlatform(cluster);
        Assert.Equal(0, Install(cluster, Built.Hotfix101).ExitCode);
        var before = cluster.StoreText;

        var hotfixAgain = Install(cluster, Built.Hotfix101);

        Assert.True(hotfixAgain.ExitCode == 0, hotfixAgain.All);
        Assert.Contains("configmap platform-version already records platform-v1.0.1-hotfix: left as it is", hotfixAgain.Output);
        Assert.Contains("added 0 file(s)", hotfixAgain.Output);
        Assert.Equal(before, cluster.StoreText);

        var other = NewCluster("other");
        InstallPlatform(other);
        var recorded = other.StoreText;
        other.ForgetCalls();

        var again = Install(other, Built.Platform, PlatformVariables());

        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(recorded, other.StoreText);
        Assert.Contains("configmap/system-info unchanged", again.Output);
        Assert.DoesNotContain(other.Changes, c => c.EndsWith("platform-version.json", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Check_names_the_image_missing_from_the_registry_tree_and_changes_nothing()
    {
        var cluster = NewCluster();
        var root = Unpacked(Built.Platform);
        Directory.Delete(Path.Combine(root, "images/registry/docker/registry/v2/repositories/library/nginx/_manifests/tags/1.25.3"), recursive: true);

        var check = cluster.Install(root, ["--check"]);
        var install = cluster.Install(root, [], PlatformVariables());

        Assert.Equal(1, check.ExitCode);
        Assert.Equal("install.sh: checking platform-v1.0.0: 2 chart(s) rendered as they are installed\n  gateway: library/nginx:1.25.3 (gateway/templates/deployment.yaml)\n", check.Output);
        Assert.Equal("install.sh: 1 image(s) or chart(s) above are not in the package: it is not complete (nothing was changed)\n", check.Error);
        Assert.Equal(1, install.ExitCode);
        Assert.Contains("  gateway: library/nginx:1.25.3 (gateway/templates/deployment.yaml)\n", install.Output);
        Assert.All(cluster.Calls, c => Assert.True(c.StartsWith("helm template ", StringComparison.Ordinal) || c.StartsWith("kubectl get configmap ", StringComparison.Ordinal), c));
        Assert.DoesNotContain(cluster.Calls.Take(2), c => c.StartsWith("kubectl", StringComparison.Ordinal));
        Assert.Equal(string.Empty, cluster.StoreText);
        Assert.False(Directory.Exists(_folder.Combine("registry-storage")));
    }

    [SkippableFact]
    public void Check_of_a_hotfix_accepts_images_its_base_release_holds_and_names_those_it_does_not()
    {
        var cluster = NewCluster();
        var root = Unpacked(Built.Hotfix102Chained);

        var complete = cluster.Install(root, ["--check"]);
        File.WriteAllLines(Path.Combine(root, "base-images.list"), File.ReadAllLines(Path.Combine(root, "base-images.list")).Where(l => !l.StartsWith("library/nginx:", StringComparison.Ordinal)));
        var incomplete = cluster.Install(root, ["--check"]);

        Assert.True(complete.ExitCode == 0, complete.All);
        Assert.Contains("complete: every image its charts reference is in the package or its base release v1.0.1", complete.Output);
        Assert.Equal(1, incomplete.ExitCode);
        Assert.Contains("  gateway: library/nginx:1.25.3 (gateway/templates/deployment.yaml)\n", incomplete.Output);
        Assert.Contains("not in the package or its base release v1.0.1", incomplete.Error);
        Assert.DoesNotContain(cluster.Calls, c => c.StartsWith("kubectl", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void An_unreachable_cluster_stops_the_install_before_it_changes_anything()
    {
        var cluster = NewCluster();
        cluster.Unreachable();

        var result = Install(cluster, Built.Platform, PlatformVariables());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot read configmap platform-version in kube-system: is kubectl configured for this cluster?", result.Error);
        Assert.Empty(cluster.Changes);
    }

    [SkippableFact]
    public void The_site_scripts_are_valid_bash_and_pass_shellcheck()
    {
        var platform = Unpacked(Built.Platform);
        var hotfix = Unpacked(Built.Hotfix102);
        string[] scripts =
        [
            Path.Combine(platform, "install.sh"), Path.Combine(platform, "install-charts.sh"), Path.Combine(platform, "load-images.sh"),
            Path.Combine(platform, "scripts", "deploy-addon.sh"), Path.Combine(hotfix, "install.sh"),
        ];

        ShellScripts.AssertSound(scripts);
    }

    [SkippableFact]
    public void Help_says_what_the_installer_does_and_which_variables_it_reads()
    {
        var cluster = NewCluster();

        var help = cluster.Install(Unpacked(Built.Hotfix102), ["--help"]);

        Assert.Equal(0, help.ExitCode);
        Assert.StartsWith("Usage: install.sh [--check] [--force] [--help]\nInstalls hotfix v1.0.2 (platform-v1.0.2-hotfix) on platform v1.0.0:", help.Output);
        Assert.Contains("REGISTRY_STORAGE", help.Output);
        Assert.Empty(cluster.Calls);
    }
}
