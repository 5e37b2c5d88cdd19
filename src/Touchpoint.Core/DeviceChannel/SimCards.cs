namespace Touchpoint.Core.DeviceChannel;

/// <summary>A SIM of the platform's own (官方流量卡), with its plan and usage.</summary>
public sealed class SimCard
{
    public long Id { get; set; }
    public required string Iccid { get; set; }
    public required string Plan { get; set; }
    public int MonthlyQuotaMb { get; set; }
    public int UsedMb { get; set; }
    /// <summary>正常, 停机 (suspended), 已销户 (closed).</summary>
    public required string Status { get; set; }
    public DateTime ActivatedAtUtc { get; set; }
}

public static class SimCards
{
    /// <summary>19 or 20 digits, China's 8986 prefix or any other ITU prefix 89.</summary>
    public static bool IsIccid(string value) => value.Length is 19 or 20 && value.StartsWith("89", StringComparison.Ordinal) && value.All(char.IsAsciiDigit);

    /// <summary>The carrier of a Chinese ICCID (8986 + issuer code), for SIMs that are not the platform's.</summary>
    public static string Carrier(string iccid) => iccid.Length < 6 || !iccid.StartsWith("8986", StringComparison.Ordinal)
        ? "境外运营商"
        : iccid.Substring(4, 2) switch
        {
            "00" or "02" or "04" or "07" or "08" => "中国移动",
            "01" or "06" or "09" => "中国联通",
            "03" or "05" or "11" => "中国电信",
            "15" => "中国广电",
            _ => "未知运营商",
        };
}
