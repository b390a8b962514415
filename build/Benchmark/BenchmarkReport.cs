using System.Globalization;
using System.Text;
using System.Text.Json;
using Lading.Reporting;

namespace Lading.Benchmark;

/// <summary>One tool's runs: seconds and bytes written per run (bytes fetched from the registry when it knows them).</summary>
public sealed record ContenderResult(string Name, string Command, IReadOnlyList<double> Seconds, IReadOnlyList<long> BytesWritten)
{
    public double MedianSeconds => BenchmarkReport.Median(Seconds);

    public long MedianBytesWritten => (long)BenchmarkReport.Median(BytesWritten.Select(b => (double)b).ToList());
}

/// <summary>What a benchmark measured, as the table engineers read (benchmark.md) and as data (benchmark.json).</summary>
public sealed record BenchmarkReport(
    BenchmarkOptions Options,
    long LogicalBytes,
    long UniqueBytes,
    int Cores,
    string Skopeo,
    IReadOnlyList<ContenderResult> Results)
{
    public const string MarkdownFile = "benchmark.md";
    public const string JsonFile = "benchmark.json";

    public const string LadingCold = "Lading SyncImages cold";
    public const string LadingWarm = "Lading re-package warm";
    public const string SkopeoSync = "skopeo sync (dir)";
    public const string SkopeoCopy = "skopeo copy loop (oci)";

    public ContenderResult this[string name] => Results.Single(r => r.Name == name);

    /// <summary>How many times longer <paramref name="slower"/> took than <paramref name="faster"/>, by medians.</summary>
    public double Ratio(string slower, string faster) => this[slower].MedianSeconds / Math.Max(this[faster].MedianSeconds, 1e-6);

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# Image benchmark");
        text.AppendLine();
        text.AppendLine(Invariant($"{Options.Images} images with shared layers in a local docker-registry: {PlainProgress.Bytes(LogicalBytes)} logical, {PlainProgress.Bytes(UniqueBytes)} unique. Median of {Options.Runs} run(s) each, {Cores} core(s), {Skopeo}."));
        text.AppendLine();
        text.AppendLine("| tool | median seconds | bytes written | ratio vs Lading cold |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (var result in Results)
        {
            text.AppendLine(Invariant($"| {result.Name} | {result.MedianSeconds:0.00} | {result.MedianBytesWritten:N0} ({PlainProgress.Bytes(result.MedianBytesWritten)}) | {Ratio(result.Name, LadingCold):0.00} |"));
        }

        text.AppendLine();
        text.AppendLine(Invariant($"- skopeo sync / Lading cold: {Ratio(SkopeoSync, LadingCold):0.00}x"));
        text.AppendLine(Invariant($"- Lading cold / Lading warm: {Ratio(LadingCold, LadingWarm):0.0}x"));
        text.AppendLine();
        text.AppendLine("Lading is timed inside the build host (no process start); skopeo's times include starting skopeo, once for sync and once per image for the copy loop. Bytes written count each hard-linked file once; the warm run's count leaves out the store it links from.");
        text.AppendLine();
        text.AppendLine("| tool | command | seconds per run |");
        text.AppendLine("|---|---|---|");
        foreach (var result in Results)
        {
            text.AppendLine($"| {result.Name} | `{result.Command}` | {string.Join(", ", result.Seconds.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))} |");
        }

        return text.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        images = Options.Images,
        sizeMegabytes = Options.SizeMegabytes,
        runs = Options.Runs,
        logicalBytes = LogicalBytes,
        uniqueBytes = UniqueBytes,
        cores = Cores,
        skopeo = Skopeo,
        results = Results.Select(r => new
        {
            name = r.Name,
            command = r.Command,
            medianSeconds = Math.Round(r.MedianSeconds, 3),
            bytesWritten = r.MedianBytesWritten,
            ratioVsLadingCold = Math.Round(Ratio(r.Name, LadingCold), 3),
            seconds = r.Seconds.Select(s => Math.Round(s, 3)),
            bytesWrittenPerRun = r.BytesWritten,
        }),
        ratios = new
        {
            skopeoSyncOverLadingCold = Math.Round(Ratio(SkopeoSync, LadingCold), 3),
            ladingColdOverLadingWarm = Math.Round(Ratio(LadingCold, LadingWarm), 3),
        },
    }, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Writes benchmark.md and benchmark.json into <paramref name="folder"/>; returns the markdown's path.</summary>
    public async Task<string> WriteAsync(string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var markdown = Path.Combine(folder, MarkdownFile);
        await File.WriteAllTextAsync(markdown, ToMarkdown(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, JsonFile), ToJson(), cancellationToken);
        return markdown;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
