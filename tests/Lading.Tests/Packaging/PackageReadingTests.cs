using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Lading.Packaging;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Packaging;

/// <summary>What Inspect and Diff say about a file that is no package, or a package whose manifest is broken: a sentence naming the file.</summary>
public sealed class PackageReadingTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-package-reading");

    public void Dispose() => _folder.Dispose();

    private string Tar(string name, string manifest)
    {
        var path = _folder.Combine(name);
        using var file = File.Create(path);
        using var writer = new TarWriter(file, TarEntryFormat.Ustar);
        var entry = new UstarTarEntry(TarEntryType.RegularFile, "platform-v1.0.0/manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) };
        writer.WriteEntry(entry);
        return path;
    }

    private static string Refusal(string path) => Assert.Throws<PackageException>(() => PackageManifest.ReadFromTar(path)).Message;

    [Fact]
    public void A_text_file_is_no_tar()
    {
        var path = _folder.Write("notes.tar", "these are release notes, not a package\n".PadRight(700, '.'));

        Assert.Equal($"{path}: is not a tar file, or a damaged one", Refusal(path).Split(" (")[0]);
        Assert.EndsWith("a Lading package is the <name>-<version>.tar a build writes", Refusal(path));
    }

    [Fact]
    public void A_short_file_is_no_tar_either()
    {
        var path = _folder.Write("short.tar", "tiny");

        Assert.StartsWith($"{path}: is not a tar file", Refusal(path));
    }

    [Fact]
    public void A_compressed_file_is_named_as_such()
    {
        var path = _folder.Combine("platform-v1.0.0-charts.tar.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(new byte[1024]);
        }

        Assert.Equal($"{path}: is gzip-compressed; a Lading package is the uncompressed <name>-<version>.tar (the -charts.tar.gz beside it holds only charts)", Refusal(path));
    }

    [Fact]
    public void A_folder_is_no_package()
    {
        Assert.Equal($"{_folder.Path}: is a folder, not a package tar", Refusal(_folder.Path));
    }

    [Fact]
    public void A_manifest_that_is_not_json_names_its_line()
    {
        var path = Tar("bad-json.tar", "{\n  \"name\": \"platform\",\n  \"kind\": oops\n}\n");

        Assert.StartsWith($"{path}:platform-v1.0.0/manifest.json: manifest.json is not a Lading package manifest at line 3", Refusal(path));
    }

    [Fact]
    public void A_manifest_missing_its_fields_says_which_instead_of_failing_on_a_null()
    {
        var path = Tar("fields.tar", """
            {"name": "platform", "built": "2024-01-01T00:00:00Z", "kind": "platform", "version": "v1",
             "commit": "abc", "charts": [{"name": "gateway", "version": "v1", "file": "charts/gateway-v1.tgz", "sha256": "short"}],
             "images": [{"name": "library/nginx:1", "digest": "md5:x", "mediaType": "m", "size": 1, "source": "s"}], "files": null}
            """);

        Assert.Equal(
            $"{path}:platform-v1.0.0/manifest.json: manifest.json is not a Lading package manifest: 'commit' 'abc' is no git commit; 'charts', 'images', 'files' and 'deletedCharts' must be lists",
            Refusal(path));
    }

    [Fact]
    public void A_chart_with_a_short_sha256_is_refused_before_anything_shows_it()
    {
        var path = Tar("chart.tar", """
            {"name": "platform", "built": "2024-01-01T00:00:00Z", "kind": "platform", "version": "v1",
             "charts": [{"name": "gateway", "version": "v1", "file": "charts/gateway-v1.tgz", "sha256": "short"}]}
            """);

        Assert.EndsWith("manifest.json is not a Lading package manifest: charts[0] needs name, version, file and a sha256 of 64 hex digits", Refusal(path));
    }

    [Fact]
    public void A_huge_manifest_is_refused_from_its_header_without_being_read()
    {
        var path = Tar("huge.tar", "{}");
        DeclareSize(path, 600L << 20);

        Assert.Equal(
            $"{path}:platform-v1.0.0/manifest.json is {600L << 20} bytes, more than the 64 MiB a package manifest may be; this is no package Lading wrote",
            Refusal(path));
    }

    /// <summary>Rewrites the first tar header's size field (and its checksum), as a hostile tar would declare it.</summary>
    private static void DeclareSize(string tar, long size)
    {
        var bytes = File.ReadAllBytes(tar);
        const int header = 0;
        Assert.Equal("platform-v1.0.0/manifest.json", Encoding.ASCII.GetString(bytes, header, 29));
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(bytes, header + 124);
        Encoding.ASCII.GetBytes("        ").CopyTo(bytes, header + 148);
        var sum = bytes.AsSpan(header, 512).ToArray().Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(bytes, header + 148);
        File.WriteAllBytes(tar, bytes);
    }
}
