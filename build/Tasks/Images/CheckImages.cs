using Lading.Images.Registry;
using System.Xml.Linq;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Images;
using Lading.Release;

namespace Lading.Tasks.Images;

[TaskName(nameof(CheckImages))]
[TaskDescription("Checks that every image of the lists exists in the internal registry (--registry): one HEAD each; all missing ones reported at once, also as JUnit XML")]
[CommandLine("./build.sh --target=CheckImages --images=... --registry=<host[:port]>")]
public sealed class CheckImages : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    public const string ReportFile = "check-images.xml";

    public override bool ShouldRun(BuildContext context)
    {
        // A report of an earlier run would tell Jenkins about a check this run did not make.
        File.Delete(Path.Combine(context.Paths.Output, ReportFile));
        return context.RunIf(context.Images.InternalRegistry is not null, "no internal registry given (--registry or registry.internal), so images were not checked");
    }

    public override async Task RunAsync(BuildContext context)
    {
        var registry = context.Images.InternalRegistry!;
        var origin = context.ImageServices.Origin;
        var images = ImageList.Load(context.ImageLists).Entries.Select(e => (Entry: e, SiteName: origin.SiteNameOf(e.Reference))).ToList();
        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] would check {0} image(s) in {1}", images.Count, registry);
            return;
        }

        var client = context.ImageServices.Registry;
        var results = await Task.WhenAll(images.Select(async image =>
        {
            var at = image.SiteName.WithRegistry(registry);
            try
            {
                return (image, at, missing: await client.TryHeadManifestAsync(at, CancellationToken.None) is null ? "not found" : null, unreachable: (RegistryException?)null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return (image, at, missing: ex.Message, unreachable: ex is RegistryException { IsAboutRegistry: true } registryWide ? registryWide : null);
            }
        }));

        var missing = results.Where(r => r.missing is not null).ToList();
        WriteJUnit(Path.Combine(context.Paths.Output, ReportFile), registry, results.Select(r => (r.image, r.missing)).ToList());

        // A registry that cannot be reached the way it was asked is said once, not as every image missing.
        if (results.Select(r => r.unreachable).FirstOrDefault(e => e is not null) is { } unreachable)
        {
            context.Record("checked", "0");
            throw new CakeException($"No image could be checked: {unreachable.Message}");
        }

        context.Record("checked", results.Length.ToString());
        context.Record("missing", missing.Count.ToString());
        if (missing.Count == 0)
        {
            context.Log.Information("All {0} image(s) are in {1}", results.Length, registry);
            return;
        }

        var table = string.Join('\n', missing.Select(m => $"  {m.image.SiteName.SiteName,-50} {m.image.Entry.Location,-40} {m.missing}"));
        context.Record("missing images", string.Join(", ", missing.Select(m => m.image.SiteName.SiteName)));
        var message = $"{missing.Count} of {results.Length} image(s) are missing from {registry}:\n  {"image",-50} {"listed at",-40} why\n{table}";
        context.ReleaseReport.MissingImages.AddRange(MissingImages.Describe(
            missing.Select(m => (m.image.Entry.Text, m.image.Entry.Location, m.missing!)),
            context.ReleaseReport.ChartsByImage ?? ProvenanceBeside(context.ImageLists),
            context.HasReleaseRepo ? OwnersIn(context.ReleaseRepo) : new Dictionary<string, IReadOnlyList<string>>()));
        if (context.ProposalFollows)
        {
            // The proposal lists them for review, tells the owners, and then fails the run.
            context.Log.Error("{0}", message);
            return;
        }

        context.RecordChats(await context.Chats.TellAsync(MissingImages.Notice($"{missing.Count} image(s) missing from {registry}", context.ReleaseReport.MissingImages), CancellationToken.None));
        throw new CakeException(message);
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> ProvenanceBeside(string lists)
    {
        var provenance = Path.Combine(Directory.Exists(lists) ? lists : Path.GetDirectoryName(lists)!, ImageListPlan.ProvenanceFile);
        return File.Exists(provenance) ? ImageListPlan.ReadProvenance(File.ReadAllText(provenance)) : new Dictionary<string, IReadOnlyList<string>>();
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> OwnersIn(ReleaseWorkspace repo) =>
        Directory.Exists(repo.PathOf(ReleaseLayout.Repos))
            ? ComponentRepoFile.OwnersByAddon(ComponentRepoFile.LoadFolder(repo.PathOf(ReleaseLayout.Repos)).SelectMany(f => f.Repos))
            : new Dictionary<string, IReadOnlyList<string>>();

    private static void WriteJUnit(string path, string registry, IReadOnlyList<((ImageListEntry Entry, ImageReference SiteName) Image, string? Missing)> results)
    {
        var suite = new XElement("testsuite",
            new XAttribute("name", $"CheckImages {registry}"),
            new XAttribute("tests", results.Count),
            new XAttribute("failures", results.Count(r => r.Missing is not null)),
            results.Select(r => new XElement("testcase",
                new XAttribute("classname", r.Image.Entry.File),
                new XAttribute("name", r.Image.SiteName.SiteName),
                r.Missing is null ? null : new XElement("failure", new XAttribute("message", $"{r.Image.SiteName.SiteName} is missing from {registry}: {r.Missing}"), r.Image.Entry.Location))));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        new XDocument(new XElement("testsuites", suite)).Save(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
