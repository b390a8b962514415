namespace Lading.Tasks;

/// <summary>How a release engineer runs the task, word for word as the README's targets table and the Targets task say it.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CommandLineAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}
