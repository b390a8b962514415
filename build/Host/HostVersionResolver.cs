using System.Reflection;
using Cake.Cli;
using Cake.Core;

namespace Cake.Frosting;

/// <summary>The build's own version, and the Cake it runs on.</summary>
internal sealed class HostVersionResolver(Assembly build) : IVersionResolver
{
    public string GetVersion() => build.GetName().Version?.ToString(3) ?? "0.0.0";

    public string GetProductVersion()
    {
        var product = build.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? GetVersion();
        var cake = typeof(ICakeContext).Assembly.GetName().Version?.ToString(3);
        return $"{build.GetName().Name} {product} on Cake {cake}, .NET {Environment.Version}";
    }
}
