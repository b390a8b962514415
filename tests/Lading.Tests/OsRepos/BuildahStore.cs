using Lading.Tests.Fixtures;

namespace Lading.Tests.OsRepos;

/// <summary>
/// buildah with a storage of its own (vfs under a temp folder, chroot isolation) and a stand-in for an rpm
/// distribution image made FROM scratch: bash, mkdir, and scripts named dnf and createrepo_c that write what the
/// real ones would (one file per requested package, with the arguments dnf was given; repodata/repomd.xml).
/// </summary>
public sealed class BuildahStore : IDisposable
{
    public const string FakeRpmImage = "localhost/lading-fake-rpm-distro:test";

    private readonly TempFolder _folder = new("lading-buildah");
    private string? _unusable;
    private bool _imageMade;

    public string Buildah { get; private set; } = string.Empty;

    public string StorageRoot => _folder.Combine("storage");

    public string RunRoot => _folder.Combine("run");

    public string[] Global => ["--root", StorageRoot, "--runroot", RunRoot, "--storage-driver", "vfs"];

    /// <summary>Skips (fails under CI) when buildah is missing or cannot build here, with buildah's own words.</summary>
    public void RequireFakeRpmImage()
    {
        Buildah = Requires.Tool("buildah", "buildah");
        lock (_folder)
        {
            if (!_imageMade && _unusable is null)
            {
                _unusable = MakeImage();
                _imageMade = _unusable is null;
            }
        }

        if (_unusable is not null)
        {
            var message = $"buildah cannot build in this environment: {_unusable}";
            if (Requires.IsCi)
            {
                throw new InvalidOperationException(message);
            }

            Skip.If(true, message);
        }
    }

    public void Dispose() => _folder.Dispose();

    private string? MakeImage()
    {
        var rootfs = _folder.Combine("rootfs");
        foreach (var program in new[] { "/bin/bash", "/bin/mkdir" })
        {
            RootFs.CopyWithLibraries(program, rootfs);
        }

        File.Copy(Path.Combine(rootfs, "bin", "bash"), Path.Combine(rootfs, "bin", "sh"));
        Script(rootfs, "usr/bin/dnf", """
            #!/bin/bash
            # Stand-in for dnf: 'download' writes one file per package, holding the arguments it was given.
            [ "$1" = download ] || exit 0
            shift
            given="$*" dest= arch=x86_64 packages=()
            while [ $# -gt 0 ]; do
              case "$1" in
                --destdir) dest=$2; shift;;
                --arch=*) arch=${1#*=}; arch=${arch%%,*};;
                -*) ;;
                *) packages+=("$1");;
              esac
              shift
            done
            for p in "${packages[@]}"; do echo "$given" > "$dest/$p-1.0-1.$arch.rpm"; done
            """);
        Script(rootfs, "usr/bin/createrepo_c", """
            #!/bin/bash
            mkdir -p "$1/repodata" && echo '<repomd/>' > "$1/repodata/repomd.xml"
            """);

        var from = Run("from", "--quiet", "scratch");
        if (from.ExitCode != 0)
        {
            return from.All.Trim();
        }

        var container = from.Output.Trim();
        foreach (var step in new[] { new[] { "copy", "--quiet", container, rootfs + "/", "/" }, ["commit", "--quiet", container, FakeRpmImage], ["rm", container] })
        {
            var result = Run(step);
            if (result.ExitCode != 0)
            {
                return result.All.Trim();
            }
        }

        return null;
    }

    private ShellResult Run(params string[] arguments) => Shell.Run(Buildah, [.. Global, .. arguments], timeout: TimeSpan.FromMinutes(3));

    private static void Script(string rootfs, string relative, string text)
    {
        var path = Path.Combine(rootfs, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.Replace("\r", string.Empty) + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}
