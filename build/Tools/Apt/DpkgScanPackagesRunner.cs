using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Apt;

/// <summary>dpkg-scanpackages: the Packages index of a folder of .debs.</summary>
public sealed class DpkgScanPackagesRunner(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : CapturingTool<DpkgScanPackagesSettings>(fileSystem, environment, processRunner, tools)
{
    protected override string GetToolName() => "dpkg-scanpackages";

    protected override IEnumerable<string> GetToolExecutableNames() => ["dpkg-scanpackages"];

    /// <summary>
    /// The Packages text for the .debs under <paramref name="folder"/>, run from <paramref name="repository"/> so every
    /// Filename is relative to the repository root; every version is kept, not only the newest.
    /// </summary>
    public string Scan(DirectoryPath repository, string folder, DpkgScanPackagesSettings? settings = null)
    {
        settings ??= new DpkgScanPackagesSettings();
        settings.WorkingDirectory = repository;
        var args = Args("--multiversion");
        if (settings.Architecture is { } architecture)
        {
            args.Append("--arch").AppendQuoted(architecture);
        }

        // No override file: /dev/null tells dpkg-scanpackages so without a warning per package.
        args.AppendQuoted(folder).Append("/dev/null");
        var lines = Capture(settings, args).Output;
        return lines.Count == 0 ? string.Empty : string.Join('\n', lines).TrimEnd('\n') + "\n";
    }
}
