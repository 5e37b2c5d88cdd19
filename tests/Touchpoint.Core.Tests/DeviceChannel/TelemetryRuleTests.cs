using Touchpoint.Core.DeviceChannel;

namespace Touchpoint.Core.Tests.DeviceChannel;

/// <summary>A report that would not fit the registry is refused at the door, so it can never fail a batch write.</summary>
public class TelemetryRuleTests
{
    private static AppReport App(string package = "com.alipay.iot", string name = "支付宝IoT服务", string version = "3.2.7") =>
        new() { Package = package, Name = name, Version = version };

    [Fact]
    public void AReportThatFitsTheColumnsIsAccepted() =>
        Assert.Null(TelemetryRules.Problem(new Telemetry { AndroidVersion = new string('1', TelemetryRules.MaxAndroidVersion), Apps = [App()] }));

    [Fact]
    public void TextLongerThanItsColumnIsRefused()
    {
        Assert.NotNull(TelemetryRules.Problem(new Telemetry { AndroidVersion = "13 (build XYZ123456)" }));
        Assert.NotNull(TelemetryRules.Problem(new Telemetry { Location = new string('杭', TelemetryRules.MaxLocation + 1) }));
        Assert.NotNull(TelemetryRules.Problem(new Telemetry { Apps = [App(package: new string('a', TelemetryRules.MaxPackage + 1))] }));
        Assert.NotNull(TelemetryRules.Problem(new Telemetry { Apps = [App(name: new string('a', TelemetryRules.MaxAppName + 1))] }));
        Assert.NotNull(TelemetryRules.Problem(new Telemetry { Apps = [App(version: new string('1', TelemetryRules.MaxAppVersion + 1))] }));
    }

    [Fact]
    public void APackageListedTwiceOrAnAppWithoutNameIsRefused()
    {
        Assert.Equal("an app package is listed twice", TelemetryRules.Problem(new Telemetry { Apps = [App(), App(version: "3.2.8")] }));
        Assert.NotNull(TelemetryRules.Problem(new Telemetry { Apps = [App(name: null!)] }));
    }
}
