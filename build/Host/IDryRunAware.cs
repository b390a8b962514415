namespace Cake.Frosting;

/// <summary>
/// A task that honours --dryrun itself (it checks IsDryRun() and only reports what it would change).
/// Under --dryrun only such tasks run; every other task is walked and logged, as Cake's dry run does.
/// </summary>
public interface IDryRunAware
{
}
