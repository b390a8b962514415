using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Skopeo;

/// <summary>The skopeo commands Lading runs, to compare with and to check what it wrote; each builds its exact command line here.</summary>
public sealed class SkopeoRunner(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : CapturingTool<SkopeoSettings>(fileSystem, environment, processRunner, tools)
{
    /// <summary>Where Debian ships skopeo, for the message when it is missing.</summary>
    public const string DebianPackage = "skopeo";

    private readonly IToolLocator _tools = tools;

    protected override string GetToolName() => "skopeo";

    protected override IEnumerable<string> GetToolExecutableNames() => ["skopeo"];

    /// <summary>Whether skopeo can be found (the settings' ToolPath, or PATH).</summary>
    public bool IsAvailable(SkopeoSettings? settings = null) =>
        settings?.ToolPath is { } path ? File.Exists(path.FullPath) : _tools.Resolve("skopeo") is not null;

    public string Version(SkopeoSettings? settings = null) =>
        Capture(settings ?? new SkopeoSettings(), Args("--version")).Text.Trim();

    /// <summary>
    /// <c>skopeo sync --src &lt;transport&gt; --dest &lt;transport&gt; SOURCE DESTINATION</c>: every image of a
    /// repository (docker), or of a YAML file naming registries, repositories and tags (yaml).
    /// </summary>
    public ToolResult Sync(string sourceTransport, string source, string destinationTransport, string destination, bool sourceTlsVerify = true, SkopeoSettings? settings = null)
    {
        settings ??= new SkopeoSettings();
        var args = Global(settings).Append("sync").Append("--src").Append(sourceTransport).Append("--dest").Append(destinationTransport);
        if (!sourceTlsVerify)
        {
            args.Append("--src-tls-verify=false");
        }

        return Capture(settings, args.AppendQuoted(source).AppendQuoted(destination));
    }

    /// <summary><c>skopeo copy SOURCE DESTINATION</c>, both as transport:reference (docker://..., oci:dir:ref, dir:path).</summary>
    public ToolResult Copy(string source, string destination, bool sourceTlsVerify = true, SkopeoSettings? settings = null)
    {
        settings ??= new SkopeoSettings();
        var args = Global(settings).Append("copy");
        if (!sourceTlsVerify)
        {
            args.Append("--src-tls-verify=false");
        }

        return Capture(settings, args.AppendQuoted(source).AppendQuoted(destination));
    }

    private static ProcessArgumentBuilder Global(SkopeoSettings settings)
    {
        var args = new ProcessArgumentBuilder();
        if (settings.InsecurePolicy)
        {
            args.Append("--insecure-policy");
        }

        return args;
    }
}
