using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lading.Reporting;

namespace Lading.Benchmark;

/// <summary>One run of one row: what its processes cost and the bytes it wrote (each hard-linked file once).</summary>
public sealed record RowRun(double Seconds, double CpuSeconds, long PeakRssBytes, long BytesWritten);

/// <summary>One row of the benchmark (a tool doing one piece of work) and its runs.</summary>
public sealed record BenchmarkRow(string Name, string Command, IReadOnlyList<RowRun> Runs)
{
    public double Seconds => BenchmarkReport.Median(Runs.Select(r => r.Seconds).ToList());

    public double CpuSeconds => BenchmarkReport.Median(Runs.Select(r => r.CpuSeconds).ToList());

    /// <summary>The highest peak of any run: memory is judged by its worst case.</summary>
    public long PeakRssBytes => Runs.Count == 0 ? 0 : Runs.Max(r => r.PeakRssBytes);

    public long BytesWritten => (long)BenchmarkReport.Median(Runs.Select(r => (double)r.BytesWritten).ToList());
}

/// <summary>
/// What a benchmark measured, as the table engineers read (benchmark.md) and as data (benchmark.json, which keeps
/// the last runs so a regression shows against them).
/// </summary>
public sealed record BenchmarkReport(
    BenchmarkOptions Options,
    long LogicalBytes,
    long UniqueBytes,
    int Cores,
    string Skopeo,
    DateTimeOffset Date,
    IReadOnlyList<BenchmarkRow> Rows)
{
    public const string MarkdownFile = "benchmark.md";
    public const string JsonFile = "benchmark.json";

    /// <summary>Runs benchmark.json keeps, newest last.</summary>
    public const int HistoryLength = 20;

    public const string LadingSyncCold = "Lading SyncImages cold";
    public const string LadingSyncWarm = "Lading SyncImages warm";
    public const string SkopeoSync = "skopeo sync (dir)";
    public const string SkopeoCopy = "skopeo copy loop (oci)";
    public const string LadingPackageCold = "Lading Package cold";
    public const string LadingPackageWarm = "Lading Package warm";
    public const string LadingHotfix = "Lading Hotfix (one chart)";
    public const string LadingCollectCold = "Lading CollectCharts cold";
    public const string LadingCollectWarm = "Lading CollectCharts warm";
    public const string GitCloneFull = "git clone (full) loop";

    /// <summary>The aims the benchmark is read against: ratios of skopeo sync over Lading's sync, and a memory ceiling.</summary>
    public const double ColdAim = 3;
    public const double WarmAim = 15;
    public const double CollectAim = 5;
    public const long PackageMemoryAim = 300L * 1024 * 1024;

    public static string PackageColdAt(int images) => $"Lading Package cold, {images} images";

    public BenchmarkRow this[string name] => Rows.Single(r => r.Name == name);

    public BenchmarkRow? Find(string name) => Rows.FirstOrDefault(r => r.Name == name);

    /// <summary>How many times longer <paramref name="slower"/> took than <paramref name="faster"/>, by medians; null when either is missing.</summary>
    public double? Ratio(string slower, string faster) =>
        Find(slower) is { } s && Find(faster) is { } f ? s.Seconds / Math.Max(f.Seconds, 1e-6) : null;

    /// <summary>Peak memory of a cold Package by number of images: the memory points, then the full set.</summary>
    public IReadOnlyList<(int Images, long PeakRssBytes)> PackageMemory =>
        Options.MemoryPoints.Select(p => (p, Find(PackageColdAt(p))?.PeakRssBytes))
            .Append((Options.Images, Find(LadingPackageCold)?.PeakRssBytes))
            .Where(p => p.Item2 is not null)
            .Select(p => (p.Item1, p.Item2!.Value))
            .ToList();

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

    public IReadOnlyList<(string Text, double? Value, double? Aim)> Ratios =>
    [
        ($"{SkopeoSync} / {LadingSyncCold}", Ratio(SkopeoSync, LadingSyncCold), ColdAim),
        ($"{SkopeoSync} / {LadingSyncWarm}", Ratio(SkopeoSync, LadingSyncWarm), WarmAim),
        ($"{SkopeoCopy} / {LadingSyncCold}", Ratio(SkopeoCopy, LadingSyncCold), null),
        ($"{LadingSyncCold} / {LadingSyncWarm}", Ratio(LadingSyncCold, LadingSyncWarm), null),
        ($"{LadingPackageCold} / {LadingPackageWarm}", Ratio(LadingPackageCold, LadingPackageWarm), null),
        ($"{GitCloneFull} / {LadingCollectCold}", Ratio(GitCloneFull, LadingCollectCold), CollectAim),
        ($"{GitCloneFull} / {LadingCollectWarm}", Ratio(GitCloneFull, LadingCollectWarm), null),
    ];

    /// <summary>The markdown report; <paramref name="previous"/> is the last earlier run of the same shape, if any.</summary>
    public string ToMarkdown(JsonObject? previous = null, IReadOnlyList<JsonObject>? history = null)
    {
        var text = new StringBuilder();
        text.AppendLine("# Lading benchmark");
        text.AppendLine();
        text.AppendLine(Invariant($"{Options.Scale} scale: {Options.Images} images in {Options.Repositories} repositories with shared layers ({PlainProgress.Bytes(LogicalBytes)} logical, {PlainProgress.Bytes(UniqueBytes)} unique), {Options.Charts} charts, served by a local docker-registry, each from a component repository with {Options.ComponentHistoryMegabytes} MB of history served over file://; median of {Options.Runs} run(s), {Cores} core(s), {Skopeo}, {Date:yyyy-MM-dd HH:mm} UTC."));
        text.AppendLine();
        text.AppendLine("Every row is a whole process (Lading: `dotnet <host>/Lading.dll --target=...`, start-up included), measured from outside: wall seconds, CPU seconds (user and system, with the processes it ran), peak resident memory (VmHWM), bytes written (each hard-linked file once; a warm row leaves out the store it links from).");
        text.AppendLine();
        text.AppendLine("| row | seconds | CPU seconds | peak RSS | bytes written | vs previous run |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var row in Rows)
        {
            var before = PreviousSeconds(previous, row.Name);
            var change = before is > 0 ? Invariant($"{(row.Seconds - before.Value) / before.Value * 100:+0;-0}% ({before.Value:0.00} s)") : "";
            text.AppendLine(Invariant($"| {row.Name} | {row.Seconds:0.00} | {row.CpuSeconds:0.00} | {PlainProgress.Bytes(row.PeakRssBytes)} | {PlainProgress.Bytes(row.BytesWritten)} | {change} |"));
        }

        text.AppendLine();
        foreach (var (label, value, aim) in Ratios.Where(r => r.Value is not null))
        {
            text.AppendLine(Invariant($"- {label}: {value:0.0}x") + (aim is { } a ? Invariant($" (aim: at least {a:0}x{(value >= a ? ", met" : ", not met")})") : string.Empty));
        }

        if (PackageMemory.Count > 0)
        {
            var peak = PackageMemory.Max(p => p.PeakRssBytes);
            text.AppendLine("- peak memory of a cold Package as images grow: "
                + string.Join(", ", PackageMemory.Select(p => Invariant($"{p.Images} images {PlainProgress.Bytes(p.PeakRssBytes)}")))
                + Invariant($" (aim: under {PlainProgress.Bytes(PackageMemoryAim)}{(peak < PackageMemoryAim ? ", met" : ", not met")})"));
        }

        text.AppendLine();
        text.AppendLine("| row | command | seconds per run |");
        text.AppendLine("|---|---|---|");
        foreach (var row in Rows)
        {
            text.AppendLine($"| {row.Name} | `{row.Command}` | {string.Join(", ", row.Runs.Select(r => r.Seconds.ToString("0.00", CultureInfo.InvariantCulture)))} |");
        }

        var earlier = (history ?? []).Where(SameShape).ToList();
        if (earlier.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Earlier runs of this shape (seconds; peak RSS of the cold Package):");
            text.AppendLine();
            string[] columns = [LadingSyncCold, LadingSyncWarm, SkopeoSync, LadingPackageCold, LadingPackageWarm, LadingHotfix, LadingCollectCold];
            text.AppendLine("| date | " + string.Join(" | ", columns) + " | Package peak RSS |");
            text.AppendLine("|---|" + string.Concat(columns.Select(_ => "---:|")) + "---:|");
            foreach (var run in earlier.TakeLast(5))
            {
                var rss = RowOf(run, LadingPackageCold)?["peakRssBytes"]?.GetValue<long>();
                text.AppendLine($"| {run["date"]?.GetValue<string>()} | "
                    + string.Join(" | ", columns.Select(c => PreviousSeconds(run, c)?.ToString("0.00", CultureInfo.InvariantCulture) ?? ""))
                    + $" | {(rss is { } r ? PlainProgress.Bytes(r) : "")} |");
            }
        }

        return text.ToString();
    }

    /// <summary>This run as one entry of benchmark.json's history.</summary>
    public JsonObject ToJson() => JsonSerializer.SerializeToNode(new
    {
        date = Date.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        scale = Options.Scale,
        images = Options.Images,
        repositories = Options.Repositories,
        charts = Options.Charts,
        componentHistoryMegabytes = Options.ComponentHistoryMegabytes,
        sizeMegabytes = Options.SizeMegabytes,
        runs = Options.Runs,
        logicalBytes = LogicalBytes,
        uniqueBytes = UniqueBytes,
        cores = Cores,
        skopeo = Skopeo,
        rows = Rows.Select(r => new
        {
            name = r.Name,
            command = r.Command,
            seconds = Math.Round(r.Seconds, 3),
            cpuSeconds = Math.Round(r.CpuSeconds, 3),
            peakRssBytes = r.PeakRssBytes,
            bytesWritten = r.BytesWritten,
            perRun = r.Runs.Select(x => new { seconds = Math.Round(x.Seconds, 3), cpuSeconds = Math.Round(x.CpuSeconds, 3), peakRssBytes = x.PeakRssBytes, bytesWritten = x.BytesWritten }),
        }),
        ratios = Ratios.Where(r => r.Value is not null).ToDictionary(r => r.Text, r => Math.Round(r.Value!.Value, 3)),
        packagePeakRssByImages = PackageMemory.ToDictionary(p => p.Images.ToString(CultureInfo.InvariantCulture), p => p.PeakRssBytes),
    })!.AsObject();

    /// <summary>
    /// Appends this run to benchmark.json in <paramref name="folder"/> (keeping the last <see cref="HistoryLength"/>)
    /// and writes benchmark.md, compared with the last earlier run of the same shape; returns the markdown's path.
    /// </summary>
    public async Task<string> WriteAsync(string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var json = Path.Combine(folder, JsonFile);
        var history = File.Exists(json) ? ReadHistory(await File.ReadAllTextAsync(json, cancellationToken)) : [];
        var previous = history.LastOrDefault(SameShape);
        var markdown = Path.Combine(folder, MarkdownFile);
        await WriteAtomicallyAsync(markdown, ToMarkdown(previous, history), cancellationToken);
        var runs = new JsonArray([.. history.Select(h => (JsonNode)h.DeepClone()).Append(ToJson()).TakeLast(HistoryLength)]);
        await WriteAtomicallyAsync(json, new JsonObject { ["runs"] = runs }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken);
        return markdown;
    }

    /// <summary>The runs an earlier benchmark.json holds, oldest first; a file of another form holds none.</summary>
    public static IReadOnlyList<JsonObject> ReadHistory(string json)
    {
        try
        {
            return JsonNode.Parse(json)?["runs"] is JsonArray runs ? runs.OfType<JsonObject>().ToList() : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private bool SameShape(JsonObject run) =>
        run["images"]?.GetValue<int>() == Options.Images && run["sizeMegabytes"]?.GetValue<int>() == Options.SizeMegabytes && run["charts"]?.GetValue<int>() == Options.Charts
        && run["componentHistoryMegabytes"]?.GetValue<int>() == Options.ComponentHistoryMegabytes;

    private static JsonNode? RowOf(JsonObject? run, string name) =>
        (run?["rows"] as JsonArray)?.FirstOrDefault(r => r?["name"]?.GetValue<string>() == name);

    private static double? PreviousSeconds(JsonObject? run, string name) => RowOf(run, name)?["seconds"]?.GetValue<double>();

    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temporary, text, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
