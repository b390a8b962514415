using System.Diagnostics;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Common;

public sealed class TemporaryFileTests : IDisposable
{
    private readonly TempFolder temp = new("lading-temporary");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Only_the_temporary_files_of_processes_that_no_longer_run_are_removed()
    {
        using var finished = Process.Start(new ProcessStartInfo("true"))!;
        finished.WaitForExit();
        var final = temp.Combine("platform-v1.0.0.tar");
        var ours = TemporaryFile.Beside(final);
        var dead = $"{final}.{finished.Id}.{Guid.NewGuid():N}.partial";
        foreach (var file in new[] { ours, dead, final, temp.Combine("notes.partial") })
        {
            File.WriteAllText(file, "x");
        }

        var removed = TemporaryFile.RemoveAbandoned(temp.Path);

        Assert.Equal([Path.GetFileName(dead)], removed);
        Assert.Equal(
            new[] { ours, final, temp.Combine("notes.partial") }.Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
