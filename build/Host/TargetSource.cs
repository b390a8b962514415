namespace Cake.Frosting;

/// <summary>
/// A target made only of existing tasks, declared outside the code (beyond Cake.Frosting:
/// this lets a recipe file add a pipeline without new code).
/// </summary>
public sealed record DeclaredTarget(string Name, string? Description, IReadOnlyList<string> DependsOn);

/// <summary>Supplies declared targets once the coded tasks are known.</summary>
public interface ITargetSource
{
    IEnumerable<DeclaredTarget> GetTargets(IReadOnlyCollection<string> knownTasks);
}
