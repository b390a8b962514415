using Lading.Packaging;
using Lading.Tasks.Hotfix;
using Lading.Tasks.Images;
using AssembleKubespray = Lading.Tasks.Kubespray.AssembleKubespray;
using GenerateKubesprayLists = Lading.Tasks.Kubespray.GenerateKubesprayLists;
using KubesprayPipeline = Lading.Tasks.Kubespray.Kubespray;
using UploadTask = Lading.Tasks.Delivery.Upload;
using Lading.Tasks.OfflineResources;
using Lading.Tasks.Package;

namespace Lading.Tests.Packaging;

/// <summary>What a package is called and which kind a target builds, decided before any task runs.</summary>
public sealed class PackageIdentityTests
{
    [Theory]
    [InlineData("platform", PackageKind.Platform, "v2.10.2", null, "platform-v2.10.2")]
    [InlineData("platform", PackageKind.Hotfix, "v2.10.3", null, "platform-v2.10.3-hotfix")]
    [InlineData("platform", PackageKind.Platform, "v2.10.2", "release-2.10/acme", "platform-acme-v2.10.2")]
    [InlineData("platform", PackageKind.Hotfix, "v2.10.3", "release-2.10/acme", "platform-acme-v2.10.3-hotfix")]
    [InlineData("platform", PackageKind.Platform, "v2.10.2", "release-2.10", "platform-v2.10.2")]
    [InlineData("platform", PackageKind.Platform, "v2.10.2", "feature/acme", "platform-v2.10.2")]
    public void A_release_package_is_named_after_its_name_customer_version_and_kind(string name, PackageKind kind, string version, string? branch, string expected)
    {
        var identity = PackageIdentity.OfRelease(name, kind, version, branch, "0123456789abcdef");

        Assert.Equal(expected, identity.FullName);
        Assert.Equal(branch == "release-2.10/acme" ? "acme" : null, identity.Customer);
    }

    [Fact]
    public void Without_a_version_a_release_package_is_named_after_the_head_commit()
    {
        Assert.Equal("platform-head-0123abcd", PackageIdentity.OfRelease("platform", PackageKind.Platform, null, "main", "0123abcd99887766").FullName);
        Assert.Equal("platform-head", PackageIdentity.OfRelease("platform", PackageKind.Platform, null, null, null).FullName);
    }

    [Fact]
    public void A_list_package_carries_its_kind_and_the_day_without_a_version()
    {
        var day = new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.Zero);

        Assert.Equal("site-offline-resources-20261201", PackageIdentity.OfLists("site", PackageKind.OfflineResources, null, day).FullName);
        Assert.Equal("site-kubespray-v2.26.0", PackageIdentity.OfLists("site", PackageKind.Kubespray, "v2.26.0", day).FullName);
        Assert.Equal("kubespray", PackageIdentity.OfLists("site", PackageKind.Kubespray, "v2.26.0", day).KindName);
    }

    [Fact]
    public void The_outermost_task_that_opens_a_package_decides_its_kind()
    {
        Assert.Equal(PackageKind.Hotfix, OpensPackageAttribute.KindOf([typeof(DiffCharts), typeof(PackageCharts), typeof(SyncImages), typeof(AssemblePackage), typeof(UploadTask), typeof(Package), typeof(Hotfix)]));
        Assert.Equal(PackageKind.Platform, OpensPackageAttribute.KindOf([typeof(PackageCharts), typeof(SyncImages), typeof(AssemblePackage), typeof(Package)]));
        Assert.Equal(PackageKind.OfflineResources, OpensPackageAttribute.KindOf([typeof(BuildOsRepos), typeof(SyncImages), typeof(AssembleOfflineResources), typeof(OfflineResources)]));
        Assert.Equal(PackageKind.Kubespray, OpensPackageAttribute.KindOf([typeof(GenerateKubesprayLists), typeof(AssembleKubespray), typeof(KubesprayPipeline)]));
        Assert.Null(OpensPackageAttribute.KindOf([typeof(SyncImages), typeof(UploadTask)]));
    }
}
