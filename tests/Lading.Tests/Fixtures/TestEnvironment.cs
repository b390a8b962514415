using Cake.Core;
using Cake.Core.IO;

namespace Lading.Tests.Fixtures;

/// <summary>The real Cake environment with extra environment variables that only this host sees.</summary>
public sealed class TestEnvironment(IReadOnlyDictionary<string, string> variables, string workingDirectory) : ICakeEnvironment
{
    private readonly CakeEnvironment _inner = new(new CakePlatform(), new CakeRuntime());

    public DirectoryPath WorkingDirectory { get; set; } = new(workingDirectory);

    public DirectoryPath ApplicationRoot => _inner.ApplicationRoot;

    public ICakePlatform Platform => _inner.Platform;

    public ICakeRuntime Runtime => _inner.Runtime;

    public DirectoryPath GetSpecialPath(SpecialPath path) => _inner.GetSpecialPath(path);

    public string GetEnvironmentVariable(string variable) =>
        variables.TryGetValue(variable, out var value) ? value : _inner.GetEnvironmentVariable(variable);

    public IDictionary<string, string> GetEnvironmentVariables()
    {
        var all = new Dictionary<string, string>(_inner.GetEnvironmentVariables(), StringComparer.Ordinal);
        foreach (var (key, value) in variables)
        {
            all[key] = value;
        }

        return all;
    }
}
