using Touchpoint.Core.Devices;

namespace Touchpoint.Server.Devices;

/// <summary>我的设备 (owned), 授权给我的设备 (granted to me), or the whole fleet (operator only).</summary>
public enum DeviceScope
{
    Mine,
    Granted,
    All,
}

public enum DeviceSort
{
    Newest,
    Sn,
    LastOnline,
    LastBoot,
    OwnershipUpdated,
}

/// <summary>The device list's filters, shared by the page, the API and the export so they always agree.</summary>
public sealed record DeviceListQuery
{
    public DeviceScope Scope { get; init; } = DeviceScope.Mine;
    public DeviceType? Type { get; init; }
    /// <summary>Part of an SN.</summary>
    public string? Sn { get; init; }
    public bool? Online { get; init; }
    /// <summary>Matches an installed app's name (part) or version (prefix), e.g. "收银" or "3.2".</summary>
    public string? App { get; init; }
    /// <summary>In scope Mine: only devices granted to this account; in scope Granted: only devices of this owner.</summary>
    public long? CounterpartId { get; init; }
    public DeviceSort Sort { get; init; } = DeviceSort.Newest;
    public bool Descending { get; init; } = true;
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;
}

public sealed record DeviceRow(
    long Id, string Sn, DeviceType Type, string Model, long? OwnerId, string? OwnerName,
    bool IsOnline, ShipmentChannel ShipmentChannel, TransferType TransferType,
    DateTime? OwnershipUpdatedAtUtc, DateTime? LastBootAtUtc, DateTime? LastOnlineAtUtc, string? LastOnlineLocation,
    NetworkType NetworkType, string? AndroidVersion, string Apps);

public sealed record DevicePage(int Total, IReadOnlyList<DeviceRow> Items);
