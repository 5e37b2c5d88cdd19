namespace Touchpoint.Core.Ownership;

/// <summary>
/// Masks an owner's name for the public SN lookup (R5) the way Alipay's tool does:
/// 杭州云点科技有限公司 → 杭*科技有限公司, 张三丰 → 张**. Keeps the first character, the industry word
/// and the legal form, so the holder can recognise their own company without revealing it to strangers.
/// </summary>
public static class OwnerNameMask
{
    // Longest first, so 有限责任公司 wins over 有限公司 and 公司.
    private static readonly string[] LegalForms =
        ["股份有限公司", "有限责任公司", "有限公司", "合伙企业", "公司", "商行", "工作室", "超市", "便利店", "餐厅", "酒店", "门店", "店", "厂"];

    private static readonly string[] IndustryWords =
        ["信息技术", "网络科技", "智能科技", "电子商务", "科技", "网络", "信息", "贸易", "商贸", "餐饮", "电子", "智能", "实业", "零售", "物联网", "支付", "服务"];

    public static string Mask(string? name)
    {
        var value = (name ?? "").Trim();
        if (value.Length == 0)
        {
            return "";
        }
        var legal = LegalForms.FirstOrDefault(f => value.EndsWith(f, StringComparison.Ordinal) && value.Length > f.Length);
        if (legal is null)
        {
            // A person's name: keep the family name only.
            return value.Length == 1 ? "*" : value[0] + new string('*', value.Length - 1);
        }
        var core = value[..^legal.Length];
        var industry = IndustryWords.FirstOrDefault(w => core.EndsWith(w, StringComparison.Ordinal) && core.Length > w.Length) ?? "";
        core = core[..^industry.Length];
        return core[0] + "*" + industry + legal;
    }
}
