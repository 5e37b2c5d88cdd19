using Touchpoint.Core.Devices;

namespace Touchpoint.Core.Ownership;

/// <summary>One device a manufacturer submits for onboarding, as typed or as read from a CSV line.</summary>
public sealed record OnboardingRow(int Line, string RawSn, string? RawType, string? Model, string? AndroidVersion, string? RawTransfer);

/// <summary>A row after shape checks: either a device ready to look up in the registry, or a reason it was rejected.</summary>
public sealed record OnboardingCandidate(int Line, string RawSn, string? Sn, DeviceType Type, string Model,
    string? AndroidVersion, TransferType TransferType, string? Error)
{
    public bool Ok => Error is null;
}

public static class OnboardingRowRules
{
    /// <summary>
    /// Checks each row's shape and rejects SNs repeated within the batch (every occurrence after the first),
    /// so one bad line never spoils the others.
    /// </summary>
    public static IReadOnlyList<OnboardingCandidate> Check(IEnumerable<OnboardingRow> rows)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<OnboardingCandidate>();
        foreach (var row in rows)
        {
            if (!DeviceSn.TryNormalize(row.RawSn, out var sn))
            {
                result.Add(Reject(row, DeviceSn.ShapeMessage));
                continue;
            }
            if (!DeviceNames.TryParseType(row.RawType, out var type))
            {
                result.Add(Reject(row, $"设备类型无法识别：{row.RawType}（可选：刷脸设备、碰一下、收银机、自助终端、扫码盒子）"));
                continue;
            }
            var transfer = TransferType.Sale;
            if (!string.IsNullOrWhiteSpace(row.RawTransfer) && !TryParseTransfer(row.RawTransfer, out transfer))
            {
                result.Add(Reject(row, $"出让类型无法识别：{row.RawTransfer}（可选：销售、租赁、赠送）"));
                continue;
            }
            if (!seen.Add(sn))
            {
                result.Add(Reject(row, "本批次内 SN 重复"));
                continue;
            }
            var model = string.IsNullOrWhiteSpace(row.Model) ? type.Chinese() : row.Model.Trim();
            if (model.Length > 64)
            {
                result.Add(Reject(row, "型号过长（最多 64 个字符）"));
                continue;
            }
            var android = string.IsNullOrWhiteSpace(row.AndroidVersion) ? null : row.AndroidVersion.Trim();
            result.Add(new OnboardingCandidate(row.Line, row.RawSn, sn, type, model, android, transfer, null));
        }
        return result;
    }

    private static OnboardingCandidate Reject(OnboardingRow row, string error) =>
        new(row.Line, row.RawSn, null, default, "", null, default, error);

    private static bool TryParseTransfer(string raw, out TransferType type)
    {
        foreach (var candidate in Enum.GetValues<TransferType>())
        {
            if (candidate.Chinese() == raw.Trim() || string.Equals(candidate.ToString(), raw.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }
}
