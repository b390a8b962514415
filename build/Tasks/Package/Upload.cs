using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Packaging.Upload;
using Lading.Recipes;

namespace Lading.Tasks.Package;

[TaskName(nameof(Upload))]
[TaskDescription("Uploads the package just built (or --package) and its .sha256 to --upload (file:// folder or an HTTP(S) PUT/WebDAV target), never leaving a partial file under the final name")]
public sealed class Upload : AsyncFrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(context.Settings.Has(SettingKeys.UploadUrl), "no upload target given (--upload or upload.url); the package stays in the output folder");

    public override async Task RunAsync(BuildContext context)
    {
        var file = context.PackageFile
            ?? (context.Settings.Has(SettingKeys.Package) ? context.PathOf(SettingKeys.Package) : null)
            ?? throw new Lading.Packaging.PackageException("there is no package to upload: build one in this run, or name it with --package=<tar>");
        var destination = new Uri(context.Settings.Text(SettingKeys.UploadUrl)!.TrimEnd('/') + "/");
        var user = context.Settings.Secret(SettingKeys.UploadUserEnv);
        var password = context.Settings.Secret(SettingKeys.UploadPasswordEnv);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var result = await new Uploader(http).UploadAsync(file, destination, user is null || password is null ? null : new UploadCredentials(user, password), null, CancellationToken.None);
        context.Log.Information("Uploaded {0} ({1} attempt(s), {2})", UploadException.WithoutCredentials(result.Location), result.Attempts, result.Verified ? "size verified" : "not verifiable");
        context.Record("uploaded", UploadException.WithoutCredentials(result.Location).ToString());
    }
}
