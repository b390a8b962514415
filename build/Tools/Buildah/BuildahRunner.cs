using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Buildah;

/// <summary>buildah: Dockerfile builds without a daemon (`bud`), and the few commands that make an image from files.</summary>
public sealed class BuildahRunner(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : CapturingTool<BuildahSettings>(fileSystem, environment, processRunner, tools)
{
    protected override string GetToolName() => "buildah";

    protected override IEnumerable<string> GetToolExecutableNames() => ["buildah"];

    /// <summary>Pushes a local image to a registry; TLS checks are off only for registries the build calls insecure.</summary>
    public void Push(string image, string destination, bool tlsVerify, BuildahSettings settings) =>
        Capture(settings, Global(settings).Append("push").Append($"--tls-verify={(tlsVerify ? "true" : "false")}").AppendQuoted(image).AppendQuoted($"docker://{destination}"));

    public ToolResult Bud(DirectoryPath context, BuildahSettings settings)
    {
        var args = Global(settings).Append("bud");
        if (settings.Isolation is { } isolation)
        {
            args.Append("--isolation").AppendQuoted(isolation);
        }

        if (settings.File is { } file)
        {
            args.Append("--file").AppendQuoted(file.FullPath);
        }

        if (settings.Platform is { } platform)
        {
            args.Append("--platform").AppendQuoted(platform);
        }

        foreach (var (name, value) in settings.BuildArgs)
        {
            args.Append("--build-arg").AppendQuoted($"{name}={value}");
        }

        if (settings.Pull is { } pull)
        {
            args.Append($"--pull={pull}");
        }

        if (settings.Layers)
        {
            args.Append("--layers");
        }

        if (settings.NoCache)
        {
            args.Append("--no-cache");
        }

        if (settings.Tag is { } tag)
        {
            args.Append("--tag").AppendQuoted(tag);
        }

        if (settings.OutputDirectory is { } output)
        {
            args.Append("--output").AppendQuoted($"type=local,dest={output.FullPath}");
        }

        return Capture(settings, args.AppendQuoted(context.FullPath));
    }

    /// <summary>A new working container from an image (`scratch` for an empty one); its name.</summary>
    public string From(string image, BuildahSettings settings) =>
        Capture(settings, Global(settings).Append("from").Append("--quiet").AppendQuoted(image)).Text.Trim();

    /// <summary>Copies a file or a folder's contents from the host into a working container.</summary>
    public void Copy(string container, string source, string destination, BuildahSettings settings) =>
        Capture(settings, Global(settings).Append("copy").Append("--quiet").AppendQuoted(container).AppendQuoted(source).AppendQuoted(destination));

    public void Commit(string container, string image, BuildahSettings settings) =>
        Capture(settings, Global(settings).Append("commit").Append("--quiet").AppendQuoted(container).AppendQuoted(image));

    public void Remove(string container, BuildahSettings settings) =>
        Capture(settings, Global(settings).Append("rm").AppendQuoted(container));

    private static ProcessArgumentBuilder Global(BuildahSettings settings)
    {
        var args = new ProcessArgumentBuilder();
        if (settings.StorageRoot is { } root)
        {
            args.Append("--root").AppendQuoted(root.FullPath);
        }

        if (settings.RunRoot is { } runRoot)
        {
            args.Append("--runroot").AppendQuoted(runRoot.FullPath);
        }

        if (settings.StorageDriver is { } driver)
        {
            args.Append("--storage-driver").AppendQuoted(driver);
        }

        return args;
    }
}
