namespace Lading.Bootstrap;

/// <summary>A site bootstrap asset cannot be made: which input or file, and why.</summary>
public sealed class BootstrapException(string place, string message, Exception? inner = null)
    : Exception($"{place}: {message}", inner)
{
    public string Place { get; } = place;
}
