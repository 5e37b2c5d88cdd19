using System.Text;
using Touchpoint.Core.Common;

namespace Touchpoint.Core.Ownership;

/// <summary>
/// Reads an onboarding batch: a header line, then one device a line. Columns are found by header name
/// (SN / 设备SN, 设备类型 / type, 型号 / model, 安卓版本 / android_version, 出让类型 / transfer_type), so
/// column order does not matter. RFC 4180 quoting; a UTF-8 BOM is skipped.
/// </summary>
public static class OnboardingCsv
{
    public const int MaxRows = 5000;

    private static readonly Dictionary<string, string> HeaderAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sn"] = "sn", ["设备sn"] = "sn", ["序列号"] = "sn",
        ["type"] = "type", ["设备类型"] = "type",
        ["model"] = "model", ["型号"] = "model",
        ["android_version"] = "android", ["安卓版本"] = "android", ["android版本"] = "android",
        ["transfer_type"] = "transfer", ["出让类型"] = "transfer",
    };

    public static IReadOnlyList<OnboardingRow> Parse(string text)
    {
        var lines = ReadRecords(text.TrimStart('\uFEFF')).Where(r => r.Fields.Any(f => f.Length > 0)).ToList();
        if (lines.Count == 0)
        {
            throw TouchpointException.Invalid("CSV 文件为空：第一行应为表头（SN,设备类型,型号,安卓版本,出让类型）");
        }
        var header = lines[0].Fields.Select(h => HeaderAliases.GetValueOrDefault(h.Trim(), "")).ToArray();
        int Col(string name) => Array.IndexOf(header, name);
        var (sn, type, model, android, transfer) = (Col("sn"), Col("type"), Col("model"), Col("android"), Col("transfer"));
        if (sn < 0 || type < 0)
        {
            throw TouchpointException.Invalid("CSV 表头缺少必填列：需要“SN”和“设备类型”两列");
        }
        if (lines.Count - 1 > MaxRows)
        {
            throw TouchpointException.Invalid($"单个 CSV 最多 {MaxRows} 行设备，请拆分后再提交");
        }
        if (lines.Count == 1)
        {
            throw TouchpointException.Invalid("CSV 中没有设备行");
        }
        string? At(string[] f, int i) => i >= 0 && i < f.Length ? f[i] : null;
        return lines.Skip(1)
            .Select(r => new OnboardingRow(r.Line, At(r.Fields, sn) ?? "", At(r.Fields, type), At(r.Fields, model),
                At(r.Fields, android), At(r.Fields, transfer)))
            .ToList();
    }

    private static IEnumerable<(int Line, string[] Fields)> ReadRecords(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var line = 1;
        var recordLine = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') { inQuotes = false; }
                else { if (c == '\n') line++; field.Append(c); }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    break;
                case ',':
                    fields.Add(field.ToString()); field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear();
                    yield return (recordLine, fields.ToArray());
                    fields.Clear();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (inQuotes)
        {
            throw TouchpointException.Invalid($"CSV 格式错误：第 {recordLine} 行的引号没有闭合");
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (recordLine, fields.ToArray());
        }
    }
}
