using System.Formats.Tar;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Lading.Charts;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Common;

/// <summary>
/// A package is read on site by whatever is there: GNU tar, bsdtar, Python's tarfile (Ansible's unarchive) and Go's
/// archive/tar (containerd, helm). Each must read the same names, links, sizes and modes that Lading wrote.
/// </summary>
[SupportedOSPlatform("linux")]
public class TarReadersTests : IDisposable
{
    private const string PythonLister = """
        import sys, tarfile
        kinds = {tarfile.REGTYPE: "file", tarfile.AREGTYPE: "file", tarfile.DIRTYPE: "dir", tarfile.SYMTYPE: "symlink", tarfile.LNKTYPE: "hardlink"}
        with tarfile.open(sys.argv[1]) as tar:
            for m in tar:
                print("\t".join([m.name.rstrip("/"), kinds.get(m.type, "other:" + repr(m.type)), str(m.size), format(m.mode, "o"), m.linkname, str(int(m.mtime)), "%d/%d" % (m.uid, m.gid)]))
        """;

    private const string GoLister = """
        package main

        import (
        	"archive/tar"
        	"compress/gzip"
        	"fmt"
        	"io"
        	"os"
        	"strings"
        )

        func main() {
        	f, err := os.Open(os.Args[1])
        	if err != nil {
        		panic(err)
        	}
        	var in io.Reader = f
        	if strings.HasSuffix(os.Args[1], ".gz") || strings.HasSuffix(os.Args[1], ".tgz") {
        		if in, err = gzip.NewReader(f); err != nil {
        			panic(err)
        		}
        	}
        	kinds := map[byte]string{tar.TypeReg: "file", tar.TypeDir: "dir", tar.TypeSymlink: "symlink", tar.TypeLink: "hardlink"}
        	r := tar.NewReader(in)
        	for {
        		h, err := r.Next()
        		if err == io.EOF {
        			return
        		}
        		if err != nil {
        			fmt.Fprintln(os.Stderr, err)
        			os.Exit(1)
        		}
        		kind, ok := kinds[h.Typeflag]
        		if !ok {
        			kind = fmt.Sprintf("other:%q", h.Typeflag)
        		}
        		size := h.Size
        		if h.Typeflag != tar.TypeReg {
        			size = 0
        		}
        		fmt.Printf("%s\t%s\t%d\t%o\t%s\t%d\t%d/%d\n", strings.TrimSuffix(h.Name, "/"), kind, size, h.Mode, h.Linkname, h.ModTime.Unix(), h.Uid, h.Gid)
        	}
        }
        """;

    private readonly TempFolder temp = new("lading-tar-readers");

    public void Dispose() => temp.Dispose();

    [SkippableFact]
    public async Task Python_tarfile_reads_a_package_tar_as_it_was_written()
    {
        var python = Requires.Tool("python3", "python3", "/usr/bin/python3");
        var tar = await PackageTarAsync();

        Assert.Equal(Listing(tar), Lines(Run(python, temp.Write("list.py", PythonLister), tar)));
    }

    [SkippableFact]
    public async Task Go_archive_tar_reads_a_package_tar_as_it_was_written()
    {
        var go = Requires.Tool("go", "golang-go");
        var tar = await PackageTarAsync();

        Assert.Equal(Listing(tar), Lines(RunGo(go, tar)));
    }

    [SkippableFact]
    public async Task Gnu_tar_and_bsdtar_extract_a_package_tar_as_it_was_written()
    {
        var gnu = Requires.Tool("tar", "tar");
        var bsd = Requires.Tool("bsdtar", "libarchive-tools");
        var tar = await PackageTarAsync();

        foreach (var (reader, name) in new[] { (gnu, "gnu"), (bsd, "bsd") })
        {
            var into = temp.Combine(name);
            Directory.CreateDirectory(into);
            Run(reader, "-xf", tar, "-C", into);
            Assert.Equal(Tree(temp.Combine("package")), Tree(Path.Combine(into, "platform-v2.10.2")));
            Assert.Equal(
                FileIdentity.Of(Path.Combine(into, "platform-v2.10.2", LongBlob)),
                FileIdentity.Of(Path.Combine(into, "platform-v2.10.2", LongLink)));
        }
    }

    [SkippableFact]
    public async Task Every_reader_reads_a_chart_archive_with_long_names_as_it_was_written()
    {
        var python = Requires.Tool("python3", "python3", "/usr/bin/python3");
        var go = Requires.Tool("go", "golang-go");
        var bsd = Requires.Tool("bsdtar", "libarchive-tools");
        var names = new[] { "mychart/Chart.yaml", "mychart/templates/" + new string('t', 120) + ".yaml", "mychart/" + string.Join('/', Enumerable.Repeat("deep-folder-name", 12)) + "/values.yaml" };
        var archive = temp.Combine("mychart-1.0.0.tgz");
        await DeterministicTarGz.WriteAsync(archive, names.Select(n => new ArchiveFile(n, () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(n)))), CancellationToken.None);

        var expected = names.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Lines(Run(python, temp.Write("list.py", PythonLister), archive)).Select(l => l.Split('\t')[0]));
        Assert.Equal(expected, Lines(RunGo(go, archive)).Select(l => l.Split('\t')[0]));
        Assert.Equal(expected, Lines(Run(bsd, "-tzf", archive)));
    }

    private const string LongBlob = "images/registry/docker/registry/v2/blobs/sha256/ab/abababababababababababababababababababababababababababababababab/data";
    private const string LongLink = "images/oci/blobs/sha256/abababababababababababababababababababababababababababababababab-and-a-name-longer-than-a-ustar-field";

    /// <summary>A package folder with what makes tar headers differ: long names, a long hard link, an executable, a folder, a relative symlink.</summary>
    private async Task<string> PackageTarAsync()
    {
        var package = temp.Combine("package");
        var blob = temp.Write("store/blob", Convert.ToHexString(RandomNumberGenerator.GetBytes(2000)));
        HardLink.Place(blob, Path.Combine(package, LongBlob));
        HardLink.Place(blob, Path.Combine(package, LongLink));
        File.SetUnixFileMode(temp.Write("package/install.sh", "#!/bin/sh\nexit 0\n"), (UnixFileMode)0b111_101_101);
        temp.Write("package/version.yml", "spec: {}\n");
        File.CreateSymbolicLink(Path.Combine(package, "current"), "version.yml");
        var tar = temp.Combine("out", "platform-v2.10.2.tar");
        await PackageTarWriter.WriteFileAsync(package, tar, CancellationToken.None, prefix: "platform-v2.10.2");
        return tar;
    }

    /// <summary>What Lading wrote, as .NET's reader sees it, in the listers' format.</summary>
    private static List<string> Listing(string tar)
    {
        using var reader = new TarReader(File.OpenRead(tar));
        var lines = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            var kind = entry.EntryType switch
            {
                TarEntryType.RegularFile => "file",
                TarEntryType.Directory => "dir",
                TarEntryType.SymbolicLink => "symlink",
                TarEntryType.HardLink => "hardlink",
                var other => "other:" + other,
            };
            var size = entry.EntryType == TarEntryType.RegularFile ? entry.Length : 0;
            lines.Add($"{entry.Name.TrimEnd('/')}\t{kind}\t{size}\t{Convert.ToString((int)entry.Mode, 8)}\t{entry.LinkName}\t{entry.ModificationTime.ToUnixTimeSeconds()}\t{entry.Uid}/{entry.Gid}");
        }

        Assert.Contains(lines, l => l.StartsWith("platform-v2.10.2/" + LongLink + "\thardlink\t0\t644\tplatform-v2.10.2/" + LongBlob, StringComparison.Ordinal)
            || l.StartsWith("platform-v2.10.2/" + LongBlob + "\thardlink\t0\t644\tplatform-v2.10.2/" + LongLink, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("platform-v2.10.2/install.sh\tfile\t17\t755\t", StringComparison.Ordinal));
        return lines;
    }

    /// <summary>Every path under a folder with its kind, size, mode and bytes' hash.</summary>
    private static List<string> Tree(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(path =>
            {
                var relative = Path.GetRelativePath(folder, path);
                var info = new FileInfo(path);
                if (info.LinkTarget is { } target)
                {
                    return $"{relative} -> {target}";
                }

                if (Directory.Exists(path))
                {
                    return $"{relative}/";
                }

                var mode = Convert.ToString((int)File.GetUnixFileMode(path) & 0b001_001_001, 8);
                return $"{relative} {info.Length} x{mode} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}";
            })
            .Order(StringComparer.Ordinal)
            .ToList();

    private string RunGo(string go, string archive)
    {
        var folder = temp.Combine("golister");
        temp.Write("golister/main.go", GoLister);
        var environment = new Dictionary<string, string> { ["HOME"] = folder, ["GOCACHE"] = Path.Combine(folder, "cache"), ["GOPATH"] = Path.Combine(folder, "gopath"), ["GOFLAGS"] = "-mod=mod", ["GO111MODULE"] = "off" };
        var result = Shell.Run(go, ["run", "main.go", archive], folder, environment, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.All);
        return result.Output;
    }

    private static string Run(string program, params string[] arguments)
    {
        var result = Shell.Run(program, arguments, timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {result.All}");
        return result.Output;
    }

    private static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
}
