using Lading.Release;

namespace Lading.Tests.Release;

/// <summary>The seed's consistency rules between version.yml, the charts under addons/ and the component tags.</summary>
public sealed class ReleaseConsistencyTests
{
    private static readonly VersionFile Versions = VersionFile.Parse("""
        spec:
          modules:
          - name: monitoring
            addons:
            - name: kube-state-metrics
              namespace: monitoring
              version: 5.16.0
            - name: loki
              namespace: logging
              version: 5.2.0
            - name: redis
              namespace: data
              version: 18.1.1

        """, "version.yml");

    private static ComponentRepo Component(string name, string? baseVersion, string tag, string chartPath, int line) =>
        new(name, baseVersion, tag, [chartPath], "addons", "repos/monitoring.yaml", line, 3);

    [Theory]
    [InlineData("kube-state-metrics-5.16.0", "kube-state-metrics-5", "5.16.0")]
    [InlineData("kube-state-metrics-5.16.0", null, "5.16.0")]
    [InlineData("redis/18.1.1", "redis/18.1", "18.1.1")]
    [InlineData("redis/18.1.1", null, "18.1.1")]
    [InlineData("controller-v1.14.3", "controller-v1.14", "1.14.3")]
    [InlineData("v1.2.1", "v1.2", "1.2.1")]
    [InlineData("v1.2.1-rc.1", null, "1.2.1-rc.1")]
    [InlineData("helm-loki-5.2.0-weekly.408", null, "5.2.0-weekly.408")]
    public void A_tag_carries_its_version_without_family_prefix_or_v(string tag, string? baseVersion, string version) =>
        Assert.Equal(version, ReleaseConsistency.VersionOfTag(tag, baseVersion));

    [Fact]
    public void Matching_names_and_versions_raise_nothing_with_or_without_v()
    {
        CollectedChart[] charts =
        [
            new("kube-state-metrics", "kube-state-metrics", "5.16.0", "addons/kube-state-metrics/Chart.yaml"),
            new("loki", "loki", "v5.2.0", "addons/loki/Chart.yaml"),
            new("redis", "redis", "18.1.1", "addons/redis/Chart.yaml"),
        ];

        var problems = ReleaseConsistency.Check(charts, Versions, [
            Component("community/helm-charts", "kube-state-metrics-5", "kube-state-metrics-5.16.0", "charts/kube-state-metrics", 1),
            Component("grafana/helm-charts", null, "helm-loki-5.2.0", "charts/loki", 6),
            Component("vendor/charts", "redis/18.1", "redis/18.1.1", "bitnami/redis", 11),
        ]);

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_mismatch_is_listed_at_once_with_its_place()
    {
        CollectedChart[] charts =
        [
            new("kube-state-metrics", "kube-state-metrics", "5.15.2", "addons/kube-state-metrics/Chart.yaml"),
            new("loki", "loki-simple-scalable", "5.2.0", "addons/loki/Chart.yaml"),
            new("loki-distributed", "loki", "0.79.0", "addons/loki-distributed/Chart.yaml"),
            new("redis", "redis", "18.1.1", "addons/redis/Chart.yaml"),
        ];

        var problems = ReleaseConsistency.Check(charts, Versions, [
            Component("community/helm-charts", "kube-state-metrics-5", "kube-state-metrics-5.16.0", "charts/kube-state-metrics", 1),
            Component("vendor/charts", "redis/18.1", "redis/18.1.1", "bitnami/redis", 11),
        ]).Select(p => p.ToString()).ToList();

        Assert.Equal(
            [
                "addons/loki/Chart.yaml: the chart in addons/loki is named 'loki-simple-scalable'; a chart's folder, its Chart.yaml name and its version.yml addon must be one name",
                "addons/loki-distributed/Chart.yaml: the chart in addons/loki-distributed is named 'loki'; a chart's folder, its Chart.yaml name and its version.yml addon must be one name",
                "version.yml:8:7: addon loki is installed from addons/loki, whose Chart.yaml names the chart 'loki-simple-scalable'",
                "repos/monitoring.yaml:1:3: community/helm-charts is released at kube-state-metrics-5.16.0, but its chart addons/kube-state-metrics has version 5.15.2",
            ],
            problems);
    }
}
