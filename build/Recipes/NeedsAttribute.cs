namespace Lading.Recipes;

/// <summary>The task cannot run without this setting; it is checked before the first task of a build runs.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class NeedsAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}
