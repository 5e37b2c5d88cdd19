using Touchpoint.Core.Devices;
using Touchpoint.Core.Distribution;

namespace Touchpoint.Core.Tests.Distribution;

/// <summary>Every row of R8, and the checks the issue adds (minSdk, model, downgrade, offline).</summary>
public class CapabilityRuleTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private const DeviceCapabilities Iot = DeviceCapabilities.IotSdk;

    private static DeviceFacts Device(DeviceCapabilities caps = Iot, string? android = "11", bool antOs = true, InstalledApp? installed = null,
        long maker = 7, string model = "T2", DateTime? seen = null) =>
        new(android, caps, antOs, maker, model, seen ?? Now, installed);

    private static SkipReason? Why(DeviceFacts device, CatalogueKind kind, DistributionAction action, long? versionCode = 10, int? minSdk = null,
        bool bootStart = false, int? maxOfflineDays = null) =>
        CapabilityRule.Decide(device, new DistributionRequest(kind, action, versionCode, minSdk, 7, "T2", bootStart, maxOfflineDays), Now).Reason;

    [Fact]
    public void OnlyAndroidDevicesTakeDistribution() =>
        Assert.Equal(SkipReason.NotAndroid, Why(Device(android: null), CatalogueKind.PartnerApp, DistributionAction.Install));

    [Theory]
    [InlineData(DistributionAction.Install)]
    [InlineData(DistributionAction.Uninstall)]
    public void AndroidAppsNeedTheIotSdk(DistributionAction action)
    {
        var installed = new InstalledApp("1.0", 5);
        Assert.Equal(SkipReason.NoIotSdk, Why(Device(DeviceCapabilities.None, installed: installed), CatalogueKind.PartnerApp, action));
        Assert.Null(Why(Device(Iot, installed: action == DistributionAction.Uninstall ? installed : null), CatalogueKind.PartnerApp, action));
    }

    [Theory]
    [InlineData(DistributionAction.Install)]
    [InlineData(DistributionAction.Uninstall)]
    public void MiniProgramsNeedIotSdkAndXPaaS(DistributionAction action)
    {
        var installed = action == DistributionAction.Uninstall ? new InstalledApp("1.0", 5) : null;
        Assert.Equal(SkipReason.NoXPaaS, Why(Device(Iot, installed: installed), CatalogueKind.MiniProgram, action));
        Assert.Equal(SkipReason.NoIotSdk, Why(Device(DeviceCapabilities.XPaaS, installed: installed), CatalogueKind.MiniProgram, action));
        Assert.Null(Why(Device(Iot | DeviceCapabilities.XPaaS, installed: installed), CatalogueKind.MiniProgram, action));
    }

    [Fact]
    public void LightAppsInstallWithIotSdkAndSmileButCannotBeUninstalledYet()
    {
        Assert.Equal(SkipReason.NoSmile, Why(Device(Iot), CatalogueKind.LightApp, DistributionAction.Install));
        Assert.Null(Why(Device(Iot | DeviceCapabilities.Smile), CatalogueKind.LightApp, DistributionAction.Install));
        var verdict = CapabilityRule.Decide(Device(Iot | DeviceCapabilities.Smile, installed: new("1", 1)),
            new DistributionRequest(CatalogueKind.LightApp, DistributionAction.Uninstall), Now);
        Assert.Equal(SkipReason.UninstallInDevelopment, verdict.Reason);
        Assert.Contains("开发中", verdict.WhyNot);
    }

    [Fact]
    public void BootStartNeedsAntOs()
    {
        var installed = new InstalledApp("1.0", 10);
        Assert.Equal(SkipReason.BootStartNeedsAntOs, Why(Device(antOs: false, installed: installed), CatalogueKind.PartnerApp, DistributionAction.SetBootStart));
        Assert.Null(Why(Device(antOs: true, installed: installed), CatalogueKind.PartnerApp, DistributionAction.SetBootStart));
        Assert.Equal(SkipReason.BootStartNeedsAntOs, Why(Device(antOs: false), CatalogueKind.PartnerApp, DistributionAction.Install, bootStart: true));
        Assert.Null(Why(Device(antOs: false), CatalogueKind.PartnerApp, DistributionAction.Install));
    }

    [Theory]
    [InlineData(CatalogueKind.OfficialApp, DistributionAction.Install)]
    [InlineData(CatalogueKind.OfficialApp, DistributionAction.Uninstall)]
    [InlineData(CatalogueKind.SystemImage, DistributionAction.Install)]
    [InlineData(CatalogueKind.SystemImage, DistributionAction.Uninstall)]
    [InlineData(CatalogueKind.MiniProgram, DistributionAction.SetBootStart)]
    public void EachKindAllowsOnlyItsActions(CatalogueKind kind, DistributionAction action) =>
        Assert.Equal(SkipReason.ActionNotSupported, Why(Device(Iot | DeviceCapabilities.XPaaS | DeviceCapabilities.Smile), kind, action));

    [Theory]
    [InlineData("9", 28, null)]
    [InlineData("8.1", 28, SkipReason.MinSdkTooHigh)]
    [InlineData("12", 31, null)]
    [InlineData("11", 31, SkipReason.MinSdkTooHigh)]
    [InlineData("奇怪", 21, SkipReason.UnknownAndroidVersion)]
    public void MinSdkIsCheckedAgainstTheDevicesAndroid(string android, int minSdk, SkipReason? expected) =>
        Assert.Equal(expected, Why(Device(android: android), CatalogueKind.PartnerApp, DistributionAction.Install, minSdk: minSdk));

    [Fact]
    public void ASystemImageFitsOnlyItsManufacturerAndModel()
    {
        var system = new InstalledApp("11 build 1", 1);
        Assert.Null(Why(Device(installed: system), CatalogueKind.SystemImage, DistributionAction.Upgrade, versionCode: 2));
        Assert.Equal(SkipReason.WrongModel, Why(Device(installed: system, model: "K1"), CatalogueKind.SystemImage, DistributionAction.Upgrade, versionCode: 2));
        Assert.Equal(SkipReason.WrongModel, Why(Device(installed: system, maker: 8), CatalogueKind.SystemImage, DistributionAction.Upgrade, versionCode: 2));
    }

    [Fact]
    public void NeverADowngradeNorTheSameVersionAgain()
    {
        Assert.Equal(SkipReason.Downgrade, Why(Device(installed: new("2.0", 20)), CatalogueKind.PartnerApp, DistributionAction.Upgrade, versionCode: 10));
        Assert.Equal(SkipReason.AlreadyAtVersion, Why(Device(installed: new("1.0", 10)), CatalogueKind.PartnerApp, DistributionAction.Upgrade, versionCode: 10));
        Assert.Equal(SkipReason.AlreadyAtVersion, Why(Device(installed: new("1.0", 10)), CatalogueKind.PartnerApp, DistributionAction.Install, versionCode: 10));
        Assert.Null(Why(Device(installed: new("1.0", 9)), CatalogueKind.PartnerApp, DistributionAction.Upgrade, versionCode: 10));
    }

    [Fact]
    public void UpgradeUninstallAndBootStartNeedTheAppInstalled()
    {
        Assert.Equal(SkipReason.NotInstalled, Why(Device(), CatalogueKind.PartnerApp, DistributionAction.Upgrade));
        Assert.Equal(SkipReason.NotInstalled, Why(Device(), CatalogueKind.OfficialApp, DistributionAction.Upgrade));
        Assert.Equal(SkipReason.NotInstalled, Why(Device(), CatalogueKind.PartnerApp, DistributionAction.Uninstall));
        Assert.Equal(SkipReason.NotInstalled, Why(Device(), CatalogueKind.PartnerApp, DistributionAction.SetBootStart));
    }

    [Fact]
    public void ADeviceOfflineLongerThanTheTaskAllowsIsSkipped()
    {
        Assert.Equal(SkipReason.OfflineTooLong, Why(Device(seen: Now.AddDays(-8)), CatalogueKind.PartnerApp, DistributionAction.Install, maxOfflineDays: 7));
        Assert.Null(Why(Device(seen: Now.AddDays(-6)), CatalogueKind.PartnerApp, DistributionAction.Install, maxOfflineDays: 7));
        Assert.Null(Why(Device(seen: Now.AddDays(-60)), CatalogueKind.PartnerApp, DistributionAction.Install));
    }

    [Fact]
    public void RestartAndFactoryResetRunOnAnyDeviceSeenRecently()
    {
        var scanner = Device(DeviceCapabilities.None, android: null);
        Assert.True(CapabilityRule.Decide(scanner, new DistributionRequest(null, DistributionAction.Restart), Now).CanRun);
        Assert.True(CapabilityRule.Decide(scanner, new DistributionRequest(null, DistributionAction.FactoryReset), Now).CanRun);
        Assert.Equal(SkipReason.OfflineTooLong, CapabilityRule.Decide(Device(seen: Now.AddDays(-3)),
            new DistributionRequest(null, DistributionAction.Restart, MaxOfflineDays: 1), Now).Reason);
    }

    [Fact]
    public void EveryReasonHasAChineseExplanation()
    {
        foreach (var reason in Enum.GetValues<SkipReason>())
        {
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", reason.Chinese());
        }
        foreach (var reason in Enum.GetValues<FailureReason>())
        {
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", reason.Chinese());
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", reason.Advice());
            Assert.Equal(reason, ReasonTexts.FailureFromWire(reason.Wire()));
        }
    }
}
