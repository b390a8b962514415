using System.Formats.Tar;
using System.IO.Compression;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Charts;

/// <summary>Small charts written by the tests, shaped like the ones platform components ship.</summary>
internal static class ChartFolders
{
    public static string Write(TempFolder temp, string folder, string name, string version = "0.1.0", string? extraChartYaml = null)
    {
        temp.Write($"{folder}/Chart.yaml", $"""
            # the {name} component
            apiVersion: v2
            name: {name}
            description: A chart of the platform
            type: application
            version: {version}
            appVersion: "1.0"
            {extraChartYaml}
            """);
        temp.Write($"{folder}/values.yaml", """
            image:
              repository: docker.io/library/nginx
              tag: "1.27"
            replicas: 1
            """);
        temp.Write($"{folder}/templates/_helpers.tpl", """
            {{- define "app.fullname" -}}
            {{ .Release.Name }}-{{ .Chart.Name }}
            {{- end -}}
            """);
        temp.Write($"{folder}/templates/deployment.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ include "app.fullname" . }}
            spec:
              replicas: {{ .Values.replicas }}
              selector:
                matchLabels: {app: {{ .Chart.Name }}}
              template:
                metadata:
                  labels: {app: {{ .Chart.Name }}}
                spec:
                  containers:
                  - name: main
                    image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
            """);
        return temp.Combine(folder);
    }

    /// <summary>A chart with everything helm's loader treats specially: ignore rules, hidden templates, schema, both kinds of subchart.</summary>
    public static string WriteFullChart(TempFolder temp, string folder, string helmignore)
    {
        var chart = Write(temp, folder, "platform-app", "v1.2.0-rc.1", """
            dependencies:
            - name: redis
              version: 17.3.0
            - name: postgres
              version: 12.1.0
            """);
        temp.Write($"{folder}/.helmignore", helmignore);
        temp.Write($"{folder}/values.schema.json", """{"$schema": "https://json-schema.org/draft-07/schema#", "type": "object"}""");
        temp.Write($"{folder}/templates/.editor-backup.yaml", "not: a template");
        temp.Write($"{folder}/templates/NOTES.txt", "Installed {{ .Chart.Name }}.");
        temp.Write($"{folder}/README.md", "# platform-app");
        temp.Write($"{folder}/files/config/app.conf", "listen 80;");
        temp.Write($"{folder}/files/config/app.conf.bak", "listen 8080;");
        temp.Write($"{folder}/files/cache/blob.tmp", "temporary");
        temp.Write($"{folder}/docs/design.md", "# design");
        temp.Write($"{folder}/docs/notes.md", "notes");
        temp.Write($"{folder}/.git/HEAD", "ref: refs/heads/main");
        Write(temp, $"{folder}/charts/redis", "redis", "17.3.0");
        temp.Write($"{folder}/charts/redis/.helmignore", "*.md\n");
        temp.Write($"{folder}/charts/redis/README.md", "# redis");
        File.WriteAllBytes(temp.Combine($"{folder}/charts/postgres-12.1.0.tgz"), PackagedSubchart(temp, "postgres", "12.1.0"));
        return chart;
    }

    /// <summary>A subchart .tgz as a chart repository serves it, written with plain tar and gzip.</summary>
    public static byte[] PackagedSubchart(TempFolder temp, string name, string version, params (string Name, string Content)[] extra)
    {
        var folder = Write(temp, $"sources/{name}", name, version);
        using var bytes = new MemoryStream();
        using (var gzip = new GZipStream(bytes, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                tar.WriteEntry(file, $"{name}/{Path.GetRelativePath(folder, file).Replace('\\', '/')}");
            }

            foreach (var (entryName, content) in extra)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) };
                tar.WriteEntry(entry);
            }
        }

        return bytes.ToArray();
    }

    public static List<string> EntriesOf(string tgz)
    {
        using var gzip = new GZipStream(File.OpenRead(tgz), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var names = new List<string>();
        while (tar.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }

    public static Dictionary<string, byte[]> ContentsOf(string tgz)
    {
        using var gzip = new GZipStream(File.OpenRead(tgz), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (tar.GetNextEntry() is { } entry)
        {
            using var bytes = new MemoryStream();
            entry.DataStream?.CopyTo(bytes);
            contents[entry.Name] = bytes.ToArray();
        }

        return contents;
    }
}
