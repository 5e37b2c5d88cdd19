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
    /// <summary>Distribution jobs already run, as "id:attempt": a job sent twice runs once.</summary>
    public List<string> HandledJobs { get; set; } = [];
    /// <summary>The job under way: after a restart of the terminal (or its agent) it carries on where it stopped.</summary>
    public Touchpoint.Core.Distribution.JobMessage? CurrentJob { get; set; }
    /// <summary>Signing certificate (SHA-256) of each installed Android app, as the package manager keeps it.</summary>
    public Dictionary<string, string> Certificates { get; set; } = [];
    /// <summary>What the stack integrates (iot_sdk, xpaas, smile); null = not reported, the registry's value stands.</summary>
    public List<string>? Capabilities { get; set; }
    public bool AntOs { get; set; } = true;
    /// <summary>Free storage for downloads and installs.</summary>
    public long StorageFreeBytes { get; set; } = 8L * 1024 * 1024 * 1024;
    /// <summary>The last poster schedule received: the idle screen plays it offline too.</summary>
    public PosterSchedule? Posters { get; set; }
    /// <summary>Poster images held (SHA-256).</summary>
    public HashSet<string> PosterImages { get; set; } = [];

    public void HandledJob(long id, int attempt)
    {
        HandledJobs.Add($"{id}:{attempt}");
        if (HandledJobs.Count > 100)
        {
            HandledJobs.RemoveAt(0);
        }
    }

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
            // The demo's partner app, at the old version its catalogue upgrades (DemoCatalogue).
            Apps = [.. FactoryApps(new[] { "9", "10", "11", "12" }[seed % 4]),
                new() { Package = "com.yundian.pos", Name = "云点收银台", Version = "1.2.0", VersionCode = 120 }],
        };
    }

    /// <summary>What a factory reset leaves: the system apps and the system build.</summary>
    public static List<AppReport> FactoryApps(string androidVersion) =>
    [
        new() { Package = "com.alipay.iot.service", Name = "支付宝IoT服务", Version = "3.2.7", VersionCode = 30207 },
        new() { Package = "com.alipay.iot.launcher", Name = "IoT桌面", Version = "2.1.0", VersionCode = 20100 },
        new() { Package = Touchpoint.Core.Distribution.CatalogueNames.SystemPackage, Name = "系统", Version = $"Android {androidVersion}", VersionCode = 1 },
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
        BootAt = BootAt, Location = Location, AndroidVersion = AndroidVersion, AntOs = AntOs, Network = Network, Apps = Apps,
        Capabilities = Capabilities,
    };
}

public sealed record PendingResult(long CommandId, string Message);
