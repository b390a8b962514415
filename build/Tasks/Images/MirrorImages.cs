using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Images;
using Lading.Images.Registry;
using Lading.Recipes;

namespace Lading.Tasks.Images;

[TaskName(nameof(MirrorImages))]
[TaskDescription("Pushes every image of the lists that the internal registry (--registry) lacks into it, from its sources through the content store")]
[CommandLine("./build.sh --target=MirrorImages --images=... --registry=<host[:port]>")]
[Needs(SettingKeys.ImageLists)]
[Needs(SettingKeys.Registry)]
public sealed class MirrorImages : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    public override async Task RunAsync(BuildContext context)
    {
        var registry = context.Images.InternalRegistry!;
        var images = context.ImageServices;
        var plan = images.Plan(context.ImageLists);
        var client = images.Registry;
        var lacking = new List<PlannedImage>();
        foreach (var image in plan.Images)
        {
            if (await client.TryHeadManifestAsync(image.SiteName.WithRegistry(registry), CancellationToken.None) is null)
            {
                lacking.Add(image);
            }
        }

        context.Log.Information("{0} of {1} image(s) are missing from {2}", lacking.Count, plan.Images.Count, registry);
        context.Record("mirrored", lacking.Count.ToString());
        if (lacking.Count == 0)
        {
            return;
        }

        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] would push:\n{0}", string.Join('\n', lacking.Select(i => "  " + i)));
            return;
        }

        var store = images.Store;
        var synced = await images.Sync().SyncAsync(plan.Only(lacking), images.Platforms, null, CancellationToken.None);
        foreach (var image in synced.Images)
        {
            var target = image.Image.SiteName.WithRegistry(registry);
            await client.PushImageAsync(RegistryRepository.Of(target), target.Tag ?? "latest", image.Manifest.Digest, store, CancellationToken.None);
            context.Log.Information("pushed {0}", target);
        }
    }
}
