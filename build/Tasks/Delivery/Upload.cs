using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Packaging;
using Lading.Packaging.Upload;

namespace Lading.Tasks.Delivery;

[TaskName(nameof(Upload))]
[TaskDescription("Uploads the package just built (or --package) and its .sha256 to --upload (file:// folder or an HTTP(S) PUT/WebDAV target), never leaving a partial file under the final name")]
[CommandLine("part of Package")]
public sealed class Upload : AsyncFrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(context.Upload.Url is not null, "no upload target given (--upload or upload.url); the package stays in the output folder");

    public override async Task RunAsync(BuildContext context)
    {
        var file = context.PackageFile ?? context.Package.Package
            ?? throw new PackageException("there is no package to upload: build one in this run, or name it with --package=<tar>");
        var upload = context.Upload;
        var destination = new Uri(upload.Url!.TrimEnd('/') + "/");
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var credentials = upload.User is null || upload.Password is null ? null : new UploadCredentials(upload.User, upload.Password);
        var result = await new Uploader(http).UploadAsync(file, destination, credentials, null, CancellationToken.None);
        context.Log.Information("Uploaded {0} ({1} attempt(s), {2})", UploadException.WithoutCredentials(result.Location), result.Attempts, result.Verified ? "size verified" : "not verifiable");
        context.Record("uploaded", UploadException.WithoutCredentials(result.Location).ToString());
    }
}
