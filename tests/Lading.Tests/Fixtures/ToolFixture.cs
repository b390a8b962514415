using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tests.Fixtures;

/// <summary>
/// What a tool runner needs to have its command lines checked on a machine without the tool, as Cake's own
/// ToolFixture gives it: a stand-in executable per tool in a temp folder, a tool locator that finds those and
/// nothing else (never PATH), and a process runner that records the command line instead of starting it.
/// </summary>
public sealed class ToolFixture : IDisposable
{
    private readonly TempFolder _folder = new("lading-tools");
    private readonly StandInLocator _locator = new();

    public ToolFixture(params string[] tools)
    {
        foreach (var tool in tools)
        {
            var path = _folder.Write(tool, $"#!/bin/sh\necho '{tool}: a stand-in for tests, not the real tool' >&2\nexit 127\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            }

            _locator.RegisterFile(new FilePath(path));
        }
    }

    public IFileSystem FileSystem { get; } = new FileSystem();

    public ICakeEnvironment Environment { get; } = new CakeEnvironment(new CakePlatform(), new CakeRuntime());

    public RecordingProcessRunner Runner { get; } = new();

    /// <summary>Finds the stand-ins only: a runner asking for any other tool fails as if it were not installed.</summary>
    public IToolLocator Tools => _locator;

    public IReadOnlyList<string> CommandLines => Runner.CommandLines;

    /// <summary>The stand-in's full path, for settings and options that take the tool's path.</summary>
    public FilePath Path(string tool) => _locator.Resolve(tool) ?? throw new ArgumentException($"No stand-in for '{tool}' was made.", nameof(tool));

    public void Dispose() => _folder.Dispose();

    private sealed class StandInLocator : IToolLocator
    {
        private readonly Dictionary<string, FilePath> _files = new(StringComparer.Ordinal);

        public void RegisterFile(FilePath path) => _files[path.GetFilename().FullPath] = path;

        public FilePath? Resolve(string tool) => _files.GetValueOrDefault(tool);

        public FilePath? Resolve(IEnumerable<string> toolExeNames) => toolExeNames.Select(Resolve).FirstOrDefault(path => path is not null);
    }
}
