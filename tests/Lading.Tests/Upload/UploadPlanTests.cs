using Lading.Packaging.Upload;

namespace Lading.Tests.Upload;

public sealed class UploadPlanTests
{
    [Fact]
    public void The_plan_names_the_part_final_and_checksum_addresses_without_credentials()
    {
        var plan = UploadPlan.For("/work/artifacts/platform v2.10.2.tar", new Uri("https://ci:t0ken@nexus.example.com/repository/raw/platform?x=1"));

        Assert.Equal("https://nexus.example.com/repository/raw/platform/platform%20v2.10.2.tar.part", plan.Part.AbsoluteUri);
        Assert.Equal("https://nexus.example.com/repository/raw/platform/platform%20v2.10.2.tar", plan.Final.AbsoluteUri);
        Assert.Equal("https://nexus.example.com/repository/raw/platform/platform%20v2.10.2.tar.sha256", plan.Checksum.AbsoluteUri);
        Assert.DoesNotContain("t0ken", plan.ToString());
    }

    [Fact]
    public void Credentials_never_show_in_an_upload_error_or_in_their_own_text()
    {
        var error = new UploadException(new Uri("https://ci:t0ken@nexus.example.com/raw/"), "refused.", System.Net.HttpStatusCode.Forbidden);

        Assert.Equal("Upload to https://nexus.example.com/raw/ failed (HTTP 403 Forbidden): refused.", error.Message);
        Assert.Equal("ci:***", new UploadCredentials("ci", "t0ken").ToString());
    }
}
