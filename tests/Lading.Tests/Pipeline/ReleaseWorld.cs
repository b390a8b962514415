using Lading.Tests.Fixtures;

namespace Lading.Tests.Pipeline;

/// <summary>
/// Five component repositories and a release repo, made with real git: annotated and lightweight tags, several
/// tag families, pre-releases, a tag reachable only from a release branch, and charts with symbolic links.
/// </summary>
public sealed class ReleaseWorld : IDisposable
{
    private readonly TempFolder _folder = new("lading-release");

    public ReleaseWorld()
    {
        GitBase = _folder.Combine("git");
        Cyclone = Component("acme/cyclone", "manifests/cyclone", "cyclone", "v1.2.0", "quay.io/acme/cyclone:v1.2.0")
            .Tag("v1.2.0", "release: cyclone 1.2.0");
        Chart(Cyclone, "manifests/cyclone", "cyclone", "v1.2.1-rc.1", "quay.io/acme/cyclone:v1.2.1-rc.1").Commit("rc").Tag("v1.2.1-rc.1", "release: rc");
        Chart(Cyclone, "manifests/cyclone", "cyclone", "v1.2.1", "quay.io/acme/cyclone:v1.2.1").Commit("1.2.1").Tag("v1.2.1", "release: cyclone 1.2.1");
        Chart(Cyclone, "manifests/cyclone", "cyclone", "v1.20.0", "quay.io/acme/cyclone:v1.20.0").Commit("1.20").Tag("v1.20.0", "release: other line");

        Gateway = Component("acme/gateway", "charts/gateway", "gateway", "1.14.2", "docker.io/library/nginx:1.25.3")
            .Write("common/shared.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n")
            .Link("charts/gateway/templates/shared.yaml", "../../../common/shared.yaml")
            .Commit("gateway").Tag("controller-v1.14.2", "release: gateway");
        Chart(Gateway, "charts/gateway", "gateway", "1.14.3", "docker.io/library/nginx:1.25.4").Commit("g2").Tag("controller-v1.14.3", "release: gateway 1.14.3").Tag("v9.9.9", "release: unrelated family");

        Console = Component("acme/console", "manifests/console", "console", "v1.0.0", "release/console:v1.0.0").Tag("v1.0.0", "release: console");
        Chart(Console, "manifests/console", "console", "v1.1.0", "release/console:v1.1.0").Commit("c2").Tag("v1.1.0", "release: newer, but console has no baseVersion");

        Cache = Component("acme/cache", "charts/cache", "cache", "v2.0.0", "redis:7.2.4").Tag("v2.0.0", "release: cache");
        Cache.Checkout("release-2.0", create: true);
        Chart(Cache, "charts/cache", "cache", "v2.0.1", "redis:7.2.5").Commit("hotfix on the release branch").Tag("v2.0.1", "release: cache hotfix");
        Cache.Checkout("main");
        Chart(Cache, "charts/cache", "cache", "v2.1.0-alpha.1", "redis:7.4.0").Commit("next").Tag("v2.1.0-alpha.1", "release: next");

        Monitor = Component("acme/monitor", "deploy/monitor", "monitor", "v3.1.0", "quay.io/acme/monitor:v3.1.0").Tag("v3.1.0", "release: monitor");
        Chart(Monitor, "deploy/monitor", "monitor", "v3.1.1", "quay.io/acme/monitor:v3.1.1").Commit("m2").Tag("v3.1.1");

        Release = GitRepo.Init(_folder.Combine("platform-release"))
            .Write("repos/plain.yaml", """
                # plain list shape
                - repositoryFullName: acme/cyclone
                  baseVersion: v1.2
                  currentTag: v1.2.0   # moves to v1.2.1
                  chartPaths: [manifests/cyclone]
                  targetChartPath: addons
                - repositoryFullName: acme/gateway
                  baseVersion: controller-v1.14
                  currentTag: controller-v1.14.2
                  chartPaths:
                  - charts/gateway
                  targetChartPath: addons
                - repositoryFullName: acme/console
                  currentTag: v1.0.0
                  chartPaths: [manifests/console]
                  targetChartPath: addons

                """)
            .Write("repos/set.yaml", """
                metadata:
                  name: data set
                  description: caches and monitoring
                spec:
                - repositoryFullName: acme/cache
                  baseVersion: v2.0
                  currentTag: "v2.0.0"
                  chartPaths: [charts/cache]
                  targetChartPath: addons
                - repositoryFullName: acme/monitor
                  baseVersion: v3.1
                  currentTag: v3.1.0
                  chartPaths: [deploy/monitor]
                  targetChartPath: addons

                """)
            .Write("version.yml", """
                spec:
                  modules:
                  - name: devops
                    description: CI/CD
                    enable: true
                    addons:
                    - name: cyclone
                      enable: true
                      namespace: devops-system
                      version: v1.2.0
                    - name: console
                      namespace: console-system
                      version: v1.0.0
                  - name: base
                    addons:
                    - name: gateway
                      namespace: kube-system
                      version: 1.14.2
                    - name: cache
                      namespace: kube-system
                      version: v2.0.0
                    - name: monitor
                      namespace: monitoring
                      version: v3.1.0
                    - name: retired
                      namespace: old
                      version: v0.1.0

                """)
            .Write("images_origin.yaml", "- {src: docker.io/library/nginx, dest: library/nginx}\n- {src: docker.io/library/redis, dest: library/redis}\n")
            .Write("addons/stale/Chart.yaml", "apiVersion: v2\nname: stale\nversion: 0.0.1\n")
            .Write("addons/cyclone/old-file.txt", "removed when the chart is collected again\n")
            .Commit("initial release repo");
    }

    public string GitBase { get; }

    public string GitBaseUrl => "file://" + GitBase + "/";

    public GitRepo Cyclone { get; }

    public GitRepo Gateway { get; }

    public GitRepo Console { get; }

    public GitRepo Cache { get; }

    public GitRepo Monitor { get; }

    public GitRepo Release { get; }

    public string Work => _folder.Combine("work");

    public string Root => _folder.Path;

    public void Dispose() => _folder.Dispose();

    public GitRepo Component(string fullName, string chartPath, string name, string version, string image) =>
        Chart(GitRepo.Init(Path.Combine(GitBase, fullName)), chartPath, name, version, image).Commit("chart " + version);

    public static GitRepo Chart(GitRepo repo, string chartPath, string name, string version, string image) =>
        repo.Write($"{chartPath}/Chart.yaml", $"apiVersion: v2\nname: {name}\nversion: {version}\n")
            .Write($"{chartPath}/values.yaml", $"image: {image}\nreplicas: 1\n")
            .Write($"{chartPath}/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{ .Chart.Name }}
                  namespace: {{ .Release.Namespace }}
                spec:
                  replicas: {{ .Values.replicas }}
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      containers:
                        - name: main
                          image: {{ .Values.image }}
                """);
}
