using Lading.Charts;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Charts;

public sealed class ChartImagesTests : IDisposable
{
    private const string Rendered = """
        ---
        # Source: app/templates/deployment.yaml
        apiVersion: apps/v1
        kind: Deployment
        spec:
          template:
            spec:
              initContainers:
              - name: init
                image: busybox:1.36
              containers:
              - name: main
                image: "registry.local:5000/release/app:v1.2.0"
              - name: sidecar
                image: docker.io/library/nginx@sha256:0000000000000000000000000000000000000000000000000000000000000abc
              ephemeralContainers:
              - name: debug
                image: nicolaka/netshoot:v0.13
        ---
        # Source: app/templates/backup.yaml
        apiVersion: backup.example.com/v1
        kind: BackupJob
        spec:
          runner:
            image:
              registry: quay.io
              repository: example/backup
              tag: 2.1
          notes: "image: not-this-one:1.0"
          source:
            repository: https://github.com/example/charts
            tag: v1
        ---
        # Source: app/templates/configmap.yaml
        apiVersion: v1
        kind: ConfigMap
        data:
          image: "{{ .Values.image }}"
          worker: |
            image: also-not-this:1.0
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_container_image_and_repository_tag_pair_is_found_with_its_template()
    {
        var images = ChartImages.FromRenderedManifests(Rendered, "app");

        Assert.Equal(
            [
                ("busybox:1.36", "app/templates/deployment.yaml", 10),
                ("registry.local:5000/release/app:v1.2.0", "app/templates/deployment.yaml", 13),
                ("docker.io/library/nginx@sha256:0000000000000000000000000000000000000000000000000000000000000abc", "app/templates/deployment.yaml", 15),
                ("nicolaka/netshoot:v0.13", "app/templates/deployment.yaml", 18),
                ("quay.io/example/backup:2.1", "app/templates/backup.yaml", 27),
            ],
            images.Select(i => (i.Reference, i.Origin, i.Line)));
        Assert.All(images, i => Assert.Equal(("app", ChartImageSource.Rendered), (i.Addon, i.Source)));
    }

    [Fact]
    public void The_same_image_in_one_template_is_listed_once()
    {
        const string text = "# Source: a/templates/x.yaml\nspec:\n  containers:\n  - image: nginx:1\n  - image: nginx:1\n---\n# Source: a/templates/y.yaml\nimage: nginx:1\n";

        var images = ChartImages.FromRenderedManifests(text, "a");

        Assert.Equal([("nginx:1", "a/templates/x.yaml"), ("nginx:1", "a/templates/y.yaml")], images.Select(i => (i.Reference, i.Origin)));
    }

    [Fact]
    public void Broken_rendered_yaml_is_reported_at_its_line_in_the_output()
    {
        const string text = "---\n# Source: a/templates/ok.yaml\nimage: nginx:1\n---\n# Source: a/templates/bad.yaml\nspec:\n  - a\n  b: c\n";

        var error = Assert.Throws<ChartException>(() => ChartImages.FromRenderedManifests(text, "a"));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("a/templates/bad.yaml", problem.File);
        Assert.InRange(problem.Line, 7, 8);
    }

    [Fact]
    public void Chart_yaml_image_annotations_are_read()
    {
        var chart = ChartMetadata.Parse("""
            apiVersion: v2
            name: app
            version: 1.0.0
            annotations:
              artifacthub.io/images: |
                - name: app
                  image: ghcr.io/example/app:1.0.0
                - name: helper
                  image: ghcr.io/example/helper:2.0.0
                  whitelisted: true
              helm.sh/images: |
                - name: app
                  image: ghcr.io/example/app:1.0.0
            """, "app/Chart.yaml");

        var images = ChartImages.FromAnnotations(chart, "app");

        Assert.Equal(
            [("ghcr.io/example/app:1.0.0", "helm.sh/images"), ("ghcr.io/example/app:1.0.0", "artifacthub.io/images"), ("ghcr.io/example/helper:2.0.0", "artifacthub.io/images")],
            images.Select(i => (i.Reference, i.Origin)));
        Assert.All(images, i => Assert.Equal(ChartImageSource.Annotation, i.Source));
    }

    [Fact]
    public void A_malformed_image_annotation_names_the_chart_file()
    {
        var chart = ChartMetadata.Parse("apiVersion: v2\nname: app\nversion: 1.0.0\nannotations:\n  artifacthub.io/images: 'name: app'\n", "app/Chart.yaml");

        var error = Assert.Throws<ChartException>(() => ChartImages.FromAnnotations(chart, "app"));

        Assert.Equal("app/Chart.yaml", Assert.Single(error.Problems).File);
        Assert.Contains("artifacthub.io/images", error.Message);
    }

    [Fact]
    public void Chart_declared_image_lists_are_read_with_their_file_and_line()
    {
        var chart = ChartFolders.Write(_temp, "app", "app");
        _temp.Write("app/images_platform.list", "# images of app\nrelease/app:v1.2.0\n\nlibrary/redis:7.2   # cache\n");
        _temp.Write("app/charts/db/images_db.list", "library/postgres:16\n");

        var images = ChartImages.FromImageLists(chart, "app");

        Assert.Equal(
            [("library/postgres:16", "charts/db/images_db.list", 1, "images_db.list"), ("release/app:v1.2.0", "images_platform.list", 2, "images_platform.list"), ("library/redis:7.2", "images_platform.list", 4, "images_platform.list")],
            images.Select(i => (i.Reference, i.Origin, i.Line, i.ListName)));
    }

    [Fact]
    public void A_list_line_that_is_not_an_image_is_reported()
    {
        var error = Assert.Throws<ChartException>(() => ChartImages.ParseImageList("nginx:1\nthis is prose\n", "images_x.list", "app"));

        Assert.Equal("images_x.list:2:1", $"{error.Problems[0].File}:{error.Problems[0].Line}:{error.Problems[0].Column}");
    }

    [SkippableFact]
    public async Task Images_of_a_chart_rendered_by_helm_are_all_found()
    {
        var helm = new Helm(Requires.Helm());
        var chart = ChartFolders.WriteFullChart(_temp, "platform-app", string.Empty);
        _temp.Write("platform-app/values.yaml", """
            image:
              repository: docker.io/library/nginx
              tag: "1.27"
            replicas: 1
            metrics:
              enabled: false
            backup:
              enabled: true
              image: {registry: quay.io, repository: example/backup, tag: "2.1"}
            """);
        _temp.Write("platform-app/templates/metrics.yaml", """
            {{- if .Values.metrics.enabled }}
            apiVersion: v1
            kind: Pod
            metadata: {name: metrics}
            spec:
              containers:
              - name: exporter
                image: prom/node-exporter:v1.8.0
            {{- end }}
            """);
        _temp.Write("platform-app/templates/backup.yaml", """
            {{- if .Values.backup.enabled }}
            apiVersion: backup.example.com/v1
            kind: BackupJob
            metadata: {name: {{ include "app.fullname" . }}}
            spec:
              runner:
                image:
                  {{- toYaml .Values.backup.image | nindent 6 }}
              initImage: not-an-image-key:1.0
            {{- end }}
            """);
        var package = await ChartPackager.PackageAsync(chart, _temp.Combine("out"));

        var images = ChartImages.FromRenderedManifests(helm.Run("template", "demo", package.Path), "platform-app");

        Assert.Equal(
            [
                ("docker.io/library/nginx:1.27", "platform-app/charts/postgres/templates/deployment.yaml"),
                ("docker.io/library/nginx:1.27", "platform-app/charts/redis/templates/deployment.yaml"),
                ("docker.io/library/nginx:1.27", "platform-app/templates/deployment.yaml"),
                ("quay.io/example/backup:2.1", "platform-app/templates/backup.yaml"),
            ],
            images.Select(i => (i.Reference, i.Origin)).Order());
    }
}
