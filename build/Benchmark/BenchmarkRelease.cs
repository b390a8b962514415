using System.Text;
using Cake.Core.IO;
using Lading.Tools.Git;

namespace Lading.Benchmark;

/// <summary>
/// The release repo the benchmark packages, made with git like a real one: charts under <c>addons/</c> (each names
/// the images of its components), <c>images/images_platform.list</c>, <c>images/provenance.yaml</c>,
/// <c>version.yml</c>, <c>install.sh</c>. Tag <see cref="BaseVersion"/> holds every image but the last; tag
/// <see cref="Version"/> changes one chart to use the last image (what a hotfix carries); tags
/// <c>scale-&lt;N&gt;</c> hold only the first N images, for measuring memory as images grow.
/// </summary>
public sealed class BenchmarkRelease
{
    public const string BaseVersion = "v1.0.0";
    public const string Version = "v1.0.1";
    public const string ListFile = "images/images_platform.list";

    private const string Author = "Lading benchmark";
    private const string AuthorEmail = "benchmark@lading.invalid";

    private BenchmarkRelease(string root, string hotfixChart)
    {
        Root = root;
        HotfixChart = hotfixChart;
    }

    /// <summary>The work tree, at <see cref="Version"/>.</summary>
    public string Root { get; }

    /// <summary>The one chart that changes between the base version and the version.</summary>
    public string HotfixChart { get; }

    public string ImagesFolder => System.IO.Path.Combine(Root, "images");

    public static string ScaleTag(int images) => $"scale-{images}";

    /// <summary>Writes and tags the repo under <paramref name="root"/> (which must not exist yet).</summary>
    public static BenchmarkRelease Create(GitRunner git, string root, IReadOnlyList<GeneratedImage> images, int charts, IReadOnlyList<int> scalePoints)
    {
        var settings = Identity();
        Directory.CreateDirectory(root);
        var repo = new DirectoryPath(root);
        git.Init(repo, settings: settings);
        var chartOf = ChartsOf(images, charts);
        var hotfixImage = images[^1];
        var hotfixChart = chartOf[hotfixImage.Repository];
        var all = chartOf.Values.Distinct().Order(StringComparer.Ordinal).ToList();

        WriteFixedFiles(root, all);
        var baseImages = images.Take(images.Count - 1).ToList();
        WriteRelease(root, baseImages, chartOf, all, changed: null);
        git.AddAll(repo, settings);
        git.Commit(repo, $"release {BaseVersion}", settings);
        git.Tag(repo, BaseVersion, $"release {BaseVersion}", settings: settings);

        WriteRelease(root, images, chartOf, all, changed: hotfixChart);
        git.AddAll(repo, settings);
        git.Commit(repo, $"release {Version}: {hotfixChart} takes {hotfixImage.Name}", settings);
        git.Tag(repo, Version, $"release {Version}", settings: settings);

        foreach (var count in scalePoints.Where(p => p < images.Count))
        {
            WriteRelease(root, images.Take(count).ToList(), chartOf, all, changed: hotfixChart);
            git.AddAll(repo, settings);
            git.Commit(repo, $"the first {count} images", settings);
            git.Tag(repo, ScaleTag(count), $"{count} images", settings: settings);
            git.ResetHard(repo, Version, settings);
        }

        return new BenchmarkRelease(root, hotfixChart);
    }

    /// <summary>The tags are annotated: a build agent without git identity must still be able to make them.</summary>
    public static GitSettings Identity()
    {
        var settings = new GitSettings();
        foreach (var (name, value) in new[] { ("GIT_AUTHOR_NAME", Author), ("GIT_AUTHOR_EMAIL", AuthorEmail), ("GIT_COMMITTER_NAME", Author), ("GIT_COMMITTER_EMAIL", AuthorEmail) })
        {
            settings.EnvironmentVariables[name] = value;
        }

        return settings;
    }

    /// <summary>Every repository's chart: components spread over the charts in turn, as a platform groups them.</summary>
    public static IReadOnlyDictionary<string, string> ChartsOf(IReadOnlyList<GeneratedImage> images, int charts)
    {
        var repositories = images.Select(i => i.Repository).Distinct().ToList();
        return repositories.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => $"comp-{x.i % Math.Min(charts, repositories.Count):D2}", StringComparer.Ordinal);
    }

    private static void WriteFixedFiles(string root, IReadOnlyList<string> charts)
    {
        Write(root, "install.sh", "#!/usr/bin/env bash\n# Installs the benchmark platform: loads images, then each chart.\nset -euo pipefail\nhere=\"$(cd \"$(dirname \"$0\")\" && pwd)\"\n\"$here/load-images.sh\" \"${REGISTRY_STORAGE:-/var/lib/registry}\"\nfor chart in \"$here\"/charts/*.tgz; do helm upgrade --install \"$(basename \"$chart\" .tgz)\" \"$chart\"; done\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(System.IO.Path.Combine(root, "install.sh"), (UnixFileMode)0b111_101_101);
        }
        Write(root, "configs/platform.env", "PLATFORM_DOMAIN=bench.lading.invalid\n");
        Write(root, "scripts/check.sh", "#!/usr/bin/env bash\nkubectl get pods --all-namespaces\n");
        foreach (var chart in charts)
        {
            Write(root, $"addons/{chart}/.helmignore", ".git/\n*.swp\n");
            Write(root, $"addons/{chart}/templates/deployment.yaml", """
                {{- range $name, $image := .Values.images }}
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{ $name }}
                  namespace: {{ $.Release.Namespace }}
                spec:
                  replicas: 1
                  selector:
                    matchLabels:
                      app: {{ $name }}
                  template:
                    metadata:
                      labels:
                        app: {{ $name }}
                    spec:
                      containers:
                        - name: {{ $name }}
                          image: {{ $image | quote }}
                ---
                {{- end }}

                """);
        }
    }

    private static void WriteRelease(string root, IReadOnlyList<GeneratedImage> images, IReadOnlyDictionary<string, string> chartOf, IReadOnlyList<string> charts, string? changed)
    {
        var versions = new StringBuilder("spec:\n  modules:\n  - name: platform\n    description: Generated for the benchmark\n    enable: true\n    addons:\n");
        var provenance = new StringBuilder("images:\n");
        foreach (var chart in charts)
        {
            var version = chart == changed ? "1.0.1" : "1.0.0";
            var own = images.Where(i => chartOf[i.Repository] == chart).ToList();
            Write(root, $"addons/{chart}/Chart.yaml", $"apiVersion: v2\nname: {chart}\ndescription: Benchmark component {chart}\ntype: application\nversion: {version}\nappVersion: \"{version}\"\n");
            Write(root, $"addons/{chart}/values.yaml", "images:\n" + string.Concat(own.Select(i => $"  {i.Repository.Replace('/', '-')}-{i.Tag.Replace('.', '-')}: {i.Name}\n")));
            versions.Append($"    - name: {chart}\n      description: Benchmark component\n      enable: true\n      namespace: bench\n      version: {version}\n");
            foreach (var image in own)
            {
                provenance.Append($"  '{image.Name}':\n  - addon: '{chart}'\n    source: template\n    origin: '{chart}/templates/deployment.yaml'\n");
            }
        }

        Write(root, "version.yml", versions.ToString());
        Write(root, ListFile, "# generated by the benchmark\n" + string.Concat(images.Select(i => i.Name + "\n")));
        Write(root, "images/provenance.yaml", provenance.ToString());
    }

    private static void Write(string root, string relative, string text)
    {
        var path = System.IO.Path.Combine(root, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
