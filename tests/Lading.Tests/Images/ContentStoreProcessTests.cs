using System.Diagnostics;
using System.Security.Cryptography;
using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

/// <summary>Two builds sharing one store are two processes: these writers run in processes of their own.</summary>
public class ContentStoreProcessTests
{
    internal const string StoreVariable = "LADING_TEST_SHARED_STORE";
    internal const string BlobVariable = "LADING_TEST_SHARED_BLOB";

    [Fact]
    public async Task Writers_in_separate_processes_end_with_one_valid_file()
    {
        using var temp = new TempFolder("lading-store-processes");
        var bytes = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        var payload = Path.Combine(temp.Path, "payload.bin");
        await File.WriteAllBytesAsync(payload, bytes);
        var storeRoot = temp.Combine("store");

        var writers = Enumerable.Range(0, 3).Select(_ => StartWriter(storeRoot, payload)).ToList();
        await WaitForFilesAsync(Path.Combine(storeRoot, "ready"), writers.Count, writers);
        await File.WriteAllTextAsync(Path.Combine(storeRoot, "go"), "go");
        foreach (var writer in writers)
        {
            using (writer)
            {
                var output = writer.StandardOutput.ReadToEndAsync();
                await writer.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
                Assert.True(writer.ExitCode == 0, $"a writer process failed:\n{await output}");
            }
        }

        var store = new ContentStore(storeRoot);
        var digest = Digest.Of(bytes);
        Assert.Equal([digest.Hex], Directory.GetFiles(store.BlobFolder).Select(Path.GetFileName));
        Assert.Equal(bytes, await store.ReadAllBytesAsync(digest, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(store.TemporaryFolder));
    }

    private static Process StartWriter(string storeRoot, string payload)
    {
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            ArgumentList =
            {
                "vstest",
                typeof(ContentStoreWriterProcess).Assembly.Location,
                $"--TestCaseFilter:FullyQualifiedName={typeof(ContentStoreWriterProcess).FullName}.{nameof(ContentStoreWriterProcess.Puts_the_shared_blob_through_a_slow_stream)}",
            },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment[StoreVariable] = storeRoot;
        start.Environment[BlobVariable] = payload;
        return Process.Start(start)!;
    }

    private static async Task WaitForFilesAsync(string folder, int count, List<Process> writers)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!(Directory.Exists(folder) && Directory.GetFiles(folder).Length >= count))
        {
            if (DateTime.UtcNow > deadline || writers.Any(w => w.HasExited))
            {
                var said = string.Join("\n", writers.Where(w => w.HasExited).Select(w => w.StandardOutput.ReadToEnd()));
                throw new TimeoutException($"The writer processes did not all get ready.\n{said}");
            }

            await Task.Delay(100);
        }
    }
}

/// <summary>
/// One writer of <see cref="ContentStoreProcessTests"/>, run in its own process. Run on its own, it checks a single
/// slow write into a fresh store.
/// </summary>
public class ContentStoreWriterProcess
{
    [Fact]
    public async Task Puts_the_shared_blob_through_a_slow_stream()
    {
        var storeRoot = Environment.GetEnvironmentVariable(ContentStoreProcessTests.StoreVariable);
        var payload = Environment.GetEnvironmentVariable(ContentStoreProcessTests.BlobVariable);
        using var own = storeRoot is null ? new TempFolder("lading-store-writer") : null;
        if (own is not null)
        {
            storeRoot = own.Combine("store");
            payload = own.Write("payload.bin", "a blob written alone");
        }

        var bytes = await File.ReadAllBytesAsync(payload!);
        var ready = Path.Combine(storeRoot!, "ready");
        Directory.CreateDirectory(ready);
        await File.WriteAllTextAsync(Path.Combine(ready, Environment.ProcessId.ToString()), "ready");
        var go = Path.Combine(storeRoot!, "go");
        while (own is null && !File.Exists(go))
        {
            await Task.Delay(20);
        }

        // Small reads with pauses keep the writers of all processes inside PutAsync at the same time.
        var stream = new SlowStream(bytes, chunk: 256 * 1024, afterChunk: _ => Thread.Sleep(30));
        var store = new ContentStore(storeRoot!);
        await store.PutAsync(Digest.Of(bytes), stream, bytes.Length, CancellationToken.None);

        Assert.Equal(bytes, await store.ReadAllBytesAsync(Digest.Of(bytes), CancellationToken.None));
    }
}
