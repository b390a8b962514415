namespace Lading.Kubespray;

/// <summary>A Kubespray tree, its lists or its image cannot be used: where (a path, a ref, an input) and why.</summary>
public sealed class KubesprayException(string place, string message, Exception? inner = null)
    : Exception($"{place}: {message}", inner)
{
    public string Place { get; } = place;
}
