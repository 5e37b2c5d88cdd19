using Touchpoint.Core.Devices;

namespace Touchpoint.Server.Devices;

/// <summary>
/// A group of devices by what they are: region (the last online location contains it), type and model; empty parts match
/// all. Screen and voice operations pick their devices with it ("by filter"); what the caller may do on each is still
/// decided per device by <see cref="DeviceAccess"/>.
/// </summary>
public sealed record DeviceFilter(string? Region = null, DeviceType? Type = null, string? Model = null)
{
    /// <summary>From query parameters: a type that is not one is said in Chinese, not answered with the framework's bare 400.</summary>
    public static DeviceFilter From(string? region, string? type, string? model) => new(region,
        string.IsNullOrWhiteSpace(type) ? null
            : Enum.TryParse<DeviceType>(type.Trim(), ignoreCase: true, out var t) && Enum.IsDefined(t) ? t
            : throw Core.Common.TouchpointException.Invalid($"设备类型不正确：{type}（可选 {string.Join("、", Enum.GetNames<DeviceType>())}）"),
        model);

    public string? RegionPart => Region?.Trim() is { Length: > 0 } r ? r : null;
    public string? ModelPart => Model?.Trim() is { Length: > 0 } m ? m : null;
    public bool IsEmpty => RegionPart is null && Type is null && ModelPart is null;

    public IQueryable<Device> Apply(IQueryable<Device> devices)
    {
        if (RegionPart is { } region) devices = devices.Where(d => d.LastOnlineLocation != null && d.LastOnlineLocation.Contains(region));
        if (Type is { } type) devices = devices.Where(d => d.Type == type);
        if (ModelPart is { } model) devices = devices.Where(d => d.Model == model);
        return devices;
    }

    /// <summary>How the console names the group, e.g. 地区含“杭州”，刷脸设备，型号 T2.</summary>
    public string Describe() => IsEmpty ? "全部设备" : string.Join("，", new[]
    {
        RegionPart is { } r ? $"地区含“{r}”" : null, Type is { } t ? $"类型 {t.Chinese()}" : null, ModelPart is { } m ? $"型号 {m}" : null,
    }.OfType<string>());
}
