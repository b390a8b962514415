using Cake.Core;
using Cake.Core.Packaging;
using Cake.Core.Tooling;

namespace Cake.Frosting;

/// <summary>Tools are found on PATH or named by their settings; the host installs none.</summary>
internal sealed class NoToolInstaller : IToolInstaller
{
    public IEnumerable<Cake.Core.IO.FilePath> Install(PackageReference tool) =>
        throw new CakeException($"Installing tools from packages is not supported ({tool.OriginalString}); put the tool on PATH.");
}
