using Touchpoint.Core.Devices;

namespace Touchpoint.Core.Distribution;

/// <summary>
/// What the rule needs to know of a device; the server reads it in one query per page of devices. <c>Installed</c> is
/// the task's app as the device lists it now, or null when it is not installed.
/// </summary>
public sealed record DeviceFacts(
    string? AndroidVersion,
    DeviceCapabilities Capabilities,
    bool AntOs,
    long ManufacturerId,
    string Model,
    DateTime? LastOnlineAtUtc,
    InstalledApp? Installed);

public sealed record InstalledApp(string Version, long? VersionCode);

/// <summary>What is to be done: the app's kind (null for restart and factory reset), the action and the target version.</summary>
public sealed record DistributionRequest(
    CatalogueKind? Kind,
    DistributionAction Action,
    long? VersionCode = null,
    int? MinSdk = null,
    long? ManufacturerId = null,
    string? Model = null,
    bool BootStart = false,
    int? MaxOfflineDays = null);

/// <summary>The rule's answer: can it run, and if not, why not.</summary>
public readonly record struct Verdict(SkipReason? Reason)
{
    public static readonly Verdict Eligible = new(null);
    public bool CanRun => Reason is null;
    public string? WhyNot => Reason?.Chinese();
}

/// <summary>
/// R8, decided before anything is sent: only Android devices take distribution; IoT SDK → Android apps; IoT SDK +
/// xPaaS → mini-programs; IoT SDK + Smile → light apps (install only); boot start only on Ant OS; minSdk against the
/// device's Android; a system image only for its manufacturer and model; never a downgrade; not for a device that has
/// been offline longer than the task allows. The picker, the confirm page, the API and the worker all ask this.
/// </summary>
public static class CapabilityRule
{
    public static Verdict Decide(DeviceFacts device, DistributionRequest request, DateTime nowUtc)
    {
        if (request.MaxOfflineDays is { } days && (device.LastOnlineAtUtc is not { } seen || seen < nowUtc.AddDays(-days)))
        {
            return new(SkipReason.OfflineTooLong);
        }
        if (request.Action is DistributionAction.Restart or DistributionAction.FactoryReset)
        {
            return Verdict.Eligible; // any connected terminal restarts; the command channel is not Android-specific
        }
        if (device.AndroidVersion is null)
        {
            return new(SkipReason.NotAndroid);
        }
        var kind = request.Kind ?? throw new ArgumentException("an app action needs the app's kind", nameof(request));
        if (kind == CatalogueKind.LightApp && request.Action == DistributionAction.Uninstall)
        {
            return new(SkipReason.UninstallInDevelopment);
        }
        if (!kind.Actions().Contains(request.Action))
        {
            return new(SkipReason.ActionNotSupported);
        }
        if (!device.Capabilities.HasFlag(DeviceCapabilities.IotSdk))
        {
            return new(SkipReason.NoIotSdk);
        }
        if (kind == CatalogueKind.MiniProgram && !device.Capabilities.HasFlag(DeviceCapabilities.XPaaS))
        {
            return new(SkipReason.NoXPaaS);
        }
        if (kind == CatalogueKind.LightApp && !device.Capabilities.HasFlag(DeviceCapabilities.Smile))
        {
            return new(SkipReason.NoSmile);
        }
        var bootStart = request.Action == DistributionAction.SetBootStart || (request.BootStart && request.Action is DistributionAction.Install or DistributionAction.Upgrade);
        if (bootStart && !device.AntOs)
        {
            return new(SkipReason.BootStartNeedsAntOs);
        }
        if (kind == CatalogueKind.SystemImage && (request.ManufacturerId != device.ManufacturerId
            || !string.Equals(request.Model, device.Model, StringComparison.OrdinalIgnoreCase)))
        {
            return new(SkipReason.WrongModel);
        }
        if (request.MinSdk is { } minSdk && request.Action is DistributionAction.Install or DistributionAction.Upgrade)
        {
            var api = AndroidSdk.ApiLevel(device.AndroidVersion);
            if (api is null)
            {
                return new(SkipReason.UnknownAndroidVersion);
            }
            if (api < minSdk)
            {
                return new(SkipReason.MinSdkTooHigh);
            }
        }
        var installed = device.Installed;
        switch (request.Action)
        {
            case DistributionAction.Install or DistributionAction.Upgrade:
                if (installed is null && request.Action == DistributionAction.Upgrade)
                {
                    return new(SkipReason.NotInstalled);
                }
                if (installed?.VersionCode is { } current && request.VersionCode is { } target)
                {
                    if (current > target)
                    {
                        return new(SkipReason.Downgrade);
                    }
                    if (current == target && !(bootStart && request.Action == DistributionAction.Install))
                    {
                        return new(SkipReason.AlreadyAtVersion);
                    }
                }
                return Verdict.Eligible;
            case DistributionAction.Uninstall or DistributionAction.SetBootStart:
                return installed is null ? new(SkipReason.NotInstalled) : Verdict.Eligible;
            default:
                return new(SkipReason.ActionNotSupported);
        }
    }
}
