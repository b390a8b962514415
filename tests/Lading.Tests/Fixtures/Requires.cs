using System.Diagnostics;

namespace Lading.Tests.Fixtures;

/// <summary>
/// Finds the outside programs a test needs. Under CI=true a missing program fails the test;
/// elsewhere the test is skipped with the Debian package to install.
/// </summary>
public static class Requires
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Tool(string command, string debianPackage, params string[] extraPlaces)
    {
        var found = Find(command, extraPlaces);
        if (found is not null)
        {
            return found;
        }

        Missing($"'{command}' is not installed: apt-get install {debianPackage} (tests/run.sh installs it)");
        return string.Empty;
    }

    /// <summary>helm 3: LADING_TEST_HELM, then the copy tests/run.sh installs under .lading/tools, then PATH.</summary>
    public static string Helm()
    {
        var configured = Environment.GetEnvironmentVariable("LADING_TEST_HELM");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        var found = Find("helm", [Path.Combine(RepositoryRoot, ".lading", "tools", "helm")]);
        if (found is not null)
        {
            return found;
        }

        Missing("helm 3 is not installed: tests/run.sh installs it under .lading/tools");
        return string.Empty;
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Lading.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("The repository root (Lading.slnx) was not found above the test binaries.");
        }
    }

    private static void Missing(string message)
    {
        if (IsCi)
        {
            throw new InvalidOperationException(message);
        }

        Skip.If(true, message);
    }

    private static string? Find(string command, IEnumerable<string> extraPlaces)
    {
        foreach (var place in extraPlaces)
        {
            var candidate = Directory.Exists(place) ? Path.Combine(place, command) : place;
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        // Debian puts daemons such as docker-registry and nginx in /usr/sbin, which a test runner's PATH may lack.
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin"]);
        return path.Select(dir => Path.Combine(dir, command)).FirstOrDefault(File.Exists);
    }
}
