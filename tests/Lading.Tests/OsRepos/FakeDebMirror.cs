using Lading.Tests.Fixtures;

namespace Lading.Tests.OsRepos;

/// <summary>
/// An upstream Debian mirror made by the test and served by a real nginx on loopback: a few tiny packages built with
/// dpkg-deb, indexed as <c>dists/stable/main/binary-amd64</c> with a Release file, reachable as
/// <c>deb [trusted=yes] http://127.0.0.1:port/upstream stable main</c>.
/// </summary>
public sealed class FakeDebMirror : IAsyncLifetime
{
    private NginxServer? _nginx;

    public NginxServer Nginx => _nginx ?? throw new InvalidOperationException("The mirror has not started.");

    public Uri Upstream => new(Nginx.BaseUri, "upstream/");

    /// <summary>Every package of the mirror: name, version, Depends, Essential.</summary>
    public static readonly (string Name, string Version, string? Depends, bool Essential)[] Packages =
    [
        ("lading-app", "1.0", "lading-lib (>= 1.0), lading-conf", false),
        ("lading-lib", "1.0", "lading-base", false),
        ("lading-lib", "1.1", "lading-base", false),
        ("lading-base", "1.0", null, false),
        ("lading-conf", "1.0", null, false),
        ("lading-unrelated", "2.0", "lading-base", false),
        ("lading-shell", "1.0", "lading-shell-libs", true),
        ("lading-shell-libs", "1.0", null, false),
    ];

    public async Task InitializeAsync()
    {
        Requires.Tool("dpkg-deb", "dpkg");
        Requires.Tool("dpkg-scanpackages", "dpkg-dev");
        Requires.Tool("apt-ftparchive", "apt-utils");
        _nginx = await NginxServer.StartAsync();
        var upstream = Nginx.PathOf("upstream");
        var pool = Path.Combine(upstream, "pool", "main");
        Directory.CreateDirectory(pool);
        using var sources = new TempFolder("lading-debsrc");
        foreach (var (name, version, depends, essential) in Packages)
        {
            var tree = sources.Combine($"{name}-{version}");
            Directory.CreateDirectory(Path.Combine(tree, "DEBIAN"));
            Directory.CreateDirectory(Path.Combine(tree, "usr", "share", "doc", name));
            File.WriteAllText(Path.Combine(tree, "usr", "share", "doc", name, "README"), $"{name} {version}\n");
            File.WriteAllText(Path.Combine(tree, "DEBIAN", "control"),
                $"Package: {name}\nVersion: {version}\nArchitecture: all\nMaintainer: Lading Tests <tests@example.com>\n" +
                (depends is null ? string.Empty : $"Depends: {depends}\n") +
                (essential ? "Essential: yes\n" : string.Empty) +
                $"Description: {name} for the offline repository tests\n");
            Run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", tree, Path.Combine(pool, $"{name}_{version}_all.deb"));
        }

        var binary = Path.Combine(upstream, "dists", "stable", "main", "binary-amd64");
        Directory.CreateDirectory(binary);
        var index = Run("dpkg-scanpackages", "--multiversion", "pool", "/dev/null").Output;
        File.WriteAllText(Path.Combine(binary, "Packages"), index);
        var release = Run("apt-ftparchive",
            "-o", "APT::FTPArchive::Release::Suite=stable", "-o", "APT::FTPArchive::Release::Codename=stable",
            "-o", "APT::FTPArchive::Release::Components=main", "-o", "APT::FTPArchive::Release::Architectures=amd64 all",
            "release", "dists/stable").Output;
        File.WriteAllText(Path.Combine(upstream, "dists", "stable", "Release"), release);

        ShellResult Run(string program, params string[] arguments)
        {
            var result = Shell.Run(program, arguments, workingDirectory: upstream, timeout: TimeSpan.FromMinutes(1));
            return result.ExitCode == 0 ? result : throw new InvalidOperationException($"{program} failed: {result.All}");
        }
    }

    public Task DisposeAsync()
    {
        _nginx?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>How many times a file of the upstream pool was fetched, from nginx's access log.</summary>
    public int Fetches(string fileName) =>
        Nginx.AccessLog.Split('\n').Count(l => l.Contains($"/upstream/pool/main/{fileName} ", StringComparison.Ordinal) && l.Contains("\" 200 ", StringComparison.Ordinal));
}
