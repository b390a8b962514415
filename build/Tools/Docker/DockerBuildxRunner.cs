using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Docker;

/// <summary>`docker buildx build`: Dockerfile builds through BuildKit.</summary>
public sealed class DockerBuildxRunner(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : CapturingTool<DockerBuildxSettings>(fileSystem, environment, processRunner, tools)
{
    protected override string GetToolName() => "docker";

    protected override IEnumerable<string> GetToolExecutableNames() => ["docker"];

    public ToolResult Build(DirectoryPath context, DockerBuildxSettings settings)
    {
        // Plain progress keeps a CI log readable: one line per step instead of a redrawn screen.
        var args = Args("buildx", "build", "--progress=plain");
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

        if (settings.Pull)
        {
            args.Append("--pull");
        }

        if (settings.NoCache)
        {
            args.Append("--no-cache");
        }

        if (settings.Tag is { } tag)
        {
            args.Append("--tag").AppendQuoted(tag);
        }

        if (settings.Push)
        {
            args.Append("--push");
        }

        if (settings.OutputDirectory is { } output)
        {
            args.Append("--output").AppendQuoted($"type=local,dest={output.FullPath}");
        }

        return Capture(settings, args.AppendQuoted(context.FullPath));
    }
}
