using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Members;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Notifications;

namespace Touchpoint.Server.Payments;

/// <summary>What a trade request's fields may hold, and the numbers the platform makes (trade_no, digests).</summary>
public sealed partial class TradeService
{
    private string? NotifyUrl(string? url, long? appId) => appId is null ? null : CheckNotifyUrl(url);

    /// <summary>A notify_url the platform may post to (the outbox keeps at most 500 characters), or null when none was given.</summary>
    public string? CheckNotifyUrl(string? url)
    {
        var value = url?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (value.Length > 500)
        {
            throw PaymentErrors.InvalidParameter("notify_url 最长 500 个字符");
        }
        try
        {
            outbound.CheckUrl(value, "notify_url");
        }
        catch (Core.Common.TouchpointException e)
        {
            throw PaymentErrors.InvalidParameter(e.Message.Length > 200 ? e.Message[..200] : e.Message);
        }
        return value;
    }

    private static string? Optional(string? text, string name, int max)
    {
        var value = text?.Trim();
        return string.IsNullOrEmpty(value) ? null : value.Length > max ? throw PaymentErrors.InvalidParameter($"{name} 最长 {max} 个字符") : value;
    }

    public static string OutTradeNo(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            throw OpenPlatformViolation.Missing("out_trade_no");
        }
        if (value.Length > 64 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw PaymentErrors.InvalidParameter("out_trade_no 只能是 64 个字符以内的字母、数字、下划线或短横线");
        }
        return value;
    }

    public static long Amount(string? text, string name = "total_amount")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw OpenPlatformViolation.Missing(name);
        }
        var cents = Money.ParseCents(text) ?? throw PaymentErrors.InvalidParameter($"{name} 格式不正确：单位为元，最多两位小数");
        if (cents < 1)
        {
            throw PaymentErrors.InvalidParameter($"{name} 必须大于 0");
        }
        return cents > Money.MaxTradeCents ? throw PaymentErrors.TotalFeeExceed() : cents;
    }

    private static string Subject(string? text)
    {
        var value = text?.Trim();
        return string.IsNullOrEmpty(value) ? throw OpenPlatformViolation.Missing("subject")
            : value.Length > 256 ? throw PaymentErrors.InvalidParameter("subject 最长 256 个字符") : value;
    }

    private static string? OptionalReason(string? reason) => string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()[..Math.Min(reason.Trim().Length, 256)];

    private TimeSpan Timeout(string? text, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.FromMinutes(Settings.DefaultTimeoutMinutes);
        }
        var unit = text[^1];
        if (!int.TryParse(text[..^1], out var n) || n < 1)
        {
            throw PaymentErrors.InvalidParameter("timeout_express 格式不正确（如 90m、2h、1d、1c）");
        }
        var span = unit switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            // 1c: the trade closes at the end of the day it was made (China time), whenever in the day that is.
            'c' when n == 1 => Money.EndOfChinaDay(now) - now,
            _ => throw PaymentErrors.InvalidParameter("timeout_express 格式不正确（如 90m、2h、1d、1c；c 只能是 1c，当天 24 点关闭）"),
        };
        return span > TimeSpan.FromDays(15) ? throw PaymentErrors.InvalidParameter("timeout_express 最长 15d") : span;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Digest(params string[] parts) => Hash(string.Join('\u001f', parts));

    private static string NewTradeNo(DateTime now)
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var digits = (BitConverter.ToUInt64(bytes) % 1_000_000_000_000_000_000UL).ToString("D18", System.Globalization.CultureInfo.InvariantCulture);
        return Common.ChinaTime.Format(now, "yyyyMMdd") + "22" + digits;
    }
}
