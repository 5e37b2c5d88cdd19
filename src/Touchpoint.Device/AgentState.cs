using System.Text.Json;
using Touchpoint.Core.DeviceChannel;

namespace Touchpoint.Device;

/// <summary>
/// What the terminal knows about itself and keeps across runs: boots, network, SIM, installed apps. The first run
/// derives a plausible terminal from the SN, so that a fleet looks varied but the same SN always looks the same.
/// </summary>
public sealed class AgentState
{
    public required string Sn { get; set; }
    public int BootCount { get; set; }
    public DateTimeOffset BootAt { get; set; }
    public required string Location { get; set; }
    public required string AndroidVersion { get; set; }
    public required NetworkReport Network { get; set; }
    public List<AppReport> Apps { get; set; } = [];
    /// <summary>A command whose result is reported after the reboot it caused.</summary>
    public PendingResult? PendingResult { get; set; }
    /// <summary>Recently executed command ids: a command sent twice runs once.</summary>
    public List<long> HandledCommands { get; set; } = [];

    public void Handled(long commandId)
    {
        HandledCommands.Add(commandId);
        if (HandledCommands.Count > 50)
        {
            HandledCommands.RemoveAt(0);
        }
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] Cities = ["浙江省杭州市西湖区", "上海市浦东新区", "江苏省苏州市工业园区", "广东省深圳市南山区", "北京市朝阳区"];

    public static AgentState LoadOrCreate(string? folder, string sn, TimeProvider clock)
    {
        var path = folder is null ? null : Path.Combine(folder, sn + ".json");
        if (path is not null && File.Exists(path))
        {
            return JsonSerializer.Deserialize<AgentState>(File.ReadAllText(path), Json)!;
        }
        var seed = sn.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0x7fffffff;
        var wifi = seed % 3 != 0;
        return new AgentState
        {
            Sn = sn,
            BootCount = 1,
            BootAt = clock.GetUtcNow(),
            Location = Cities[seed % Cities.Length],
            AndroidVersion = new[] { "9", "10", "11", "12" }[seed % 4],
            Network = wifi
                ? new NetworkReport { Type = "wifi", Ssid = $"Shop-{seed % 1000:D3}", Rssi = -40 - seed % 40 }
                : new NetworkReport { Type = "cellular", Iccid = $"898600{seed % 10_000_000_000_000L:D13}", Operator = "中国移动", Signal = 2 + seed % 3 },
            Apps = FactoryApps(),
        };
    }

    /// <summary>What a factory reset leaves: the system apps only.</summary>
    public static List<AppReport> FactoryApps() =>
    [
        new() { Package = "com.alipay.iot.service", Name = "支付宝IoT服务", Version = "3.2.7" },
        new() { Package = "com.alipay.iot.launcher", Name = "IoT桌面", Version = "2.1.0" },
    ];

    public void Save(string? folder)
    {
        if (folder is null)
        {
            return;
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Sn + ".json"), JsonSerializer.Serialize(this, Json));
    }

    public Telemetry ToTelemetry() => new()
    {
        BootAt = BootAt, Location = Location, AndroidVersion = AndroidVersion, AntOs = true, Network = Network, Apps = Apps,
    };
}

public sealed record PendingResult(long CommandId, string Message);
