namespace Cake.Frosting;

/// <summary>
/// The build arguments a host accepts besides its own options (beyond Cake.Frosting, which hands any --name=value on):
/// when one is registered, an unknown --option fails before any task runs, with "did you mean".
/// </summary>
public interface IKnownArguments
{
    /// <summary>Every --name the build reads.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>Other spellings users type, each mapped to the name it stands for.</summary>
    IReadOnlyDictionary<string, string> Aliases { get; }
}

/// <summary>A fixed list of known arguments.</summary>
public sealed class KnownArguments(IEnumerable<string> names, IReadOnlyDictionary<string, string>? aliases = null) : IKnownArguments
{
    public IReadOnlyCollection<string> Names { get; } = names.ToHashSet(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string> Aliases { get; } = aliases ?? new Dictionary<string, string>();
}

/// <summary>
/// Told when the host refuses a run before its setup (unknown options or target, a target source that fails), so a
/// build can leave a record of every run, refused ones included (beyond Cake.Frosting).
/// </summary>
public interface IRefusedRunObserver
{
    void Refused(string target, string reason);
}
