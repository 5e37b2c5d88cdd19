namespace Touchpoint.Core.Payments;

public enum FundingKind
{
    /// <summary>余额.</summary>
    Balance,
    /// <summary>花呗 (credit; the balance is what is still available).</summary>
    Huabei,
    /// <summary>银行卡.</summary>
    BankCard,
}

/// <summary>One way a simulated member pays, with what is left on it. A payment takes the first source (by priority) that covers it.</summary>
public sealed class FundingSource
{
    public long Id { get; set; }
    public long MemberId { get; set; }
    public FundingKind Kind { get; set; }
    /// <summary>"余额", "花呗", "招商银行储蓄卡(6214)".</summary>
    public required string Name { get; set; }
    public long BalanceCents { get; set; }
    public int Priority { get; set; }
}

public static class FundingKinds
{
    /// <summary>fund_bill_list[].fund_channel as Alipay names it.</summary>
    public static string FundChannel(this FundingKind kind) => kind switch
    {
        FundingKind.Balance => "ALIPAYACCOUNT",
        FundingKind.Huabei => "PCREDIT",
        FundingKind.BankCard => "BANKCARD",
        _ => kind.ToString().ToUpperInvariant(),
    };

    public static string Chinese(this FundingKind kind) => kind switch
    {
        FundingKind.Balance => "余额",
        FundingKind.Huabei => "花呗",
        FundingKind.BankCard => "银行卡",
        _ => kind.ToString(),
    };

    public static FundingKind? FromChannel(string? channel) =>
        Enum.GetValues<FundingKind>().Where(k => k.FundChannel() == channel).Cast<FundingKind?>().FirstOrDefault();
}
