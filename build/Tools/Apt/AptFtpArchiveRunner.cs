using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Apt;

/// <summary>apt-ftparchive: the Release file (with the hashes of every index) of a repository.</summary>
public sealed class AptFtpArchiveRunner(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : CapturingTool<AptFtpArchiveSettings>(fileSystem, environment, processRunner, tools)
{
    protected override string GetToolName() => "apt-ftparchive";

    protected override IEnumerable<string> GetToolExecutableNames() => ["apt-ftparchive"];

    /// <summary>The Release text of the indexes under <paramref name="repository"/>, with these fields (Origin, Label, Suite, Architectures...) first.</summary>
    public string Release(DirectoryPath repository, IEnumerable<KeyValuePair<string, string>> fields, AptFtpArchiveSettings? settings = null)
    {
        settings ??= new AptFtpArchiveSettings();
        settings.WorkingDirectory = repository;
        var args = new ProcessArgumentBuilder();
        foreach (var (name, value) in fields)
        {
            args.Append("-o").AppendQuoted($"APT::FTPArchive::Release::{name}={value}");
        }

        args.Append("release").Append(".");
        return string.Join('\n', Capture(settings, args).Output).TrimEnd('\n') + "\n";
    }
}
