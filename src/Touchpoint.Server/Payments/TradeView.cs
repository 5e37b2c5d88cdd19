using Touchpoint.Core.Payments;

namespace Touchpoint.Server.Payments;

/// <summary>A trade with what its answers and pages name: the buyer (masked), the funding, the refunds.</summary>
public sealed record TradeView(Trade Trade, string? BuyerUserId, string? BuyerLogonId, string? BuyerName, string? AppCode,
    IReadOnlyList<TradeRefund> Refunds)
{
    public string TotalAmount => Money.Format(Trade.TotalCents);
    public string RefundFee => Money.Format(Trade.RefundedCents);
    public string StatusWire => Trade.Status.Wire();
    public string StatusName => Trade.RefundedCents > 0 && Trade.Status == TradeStatus.Success ? "部分退款" :
        Trade.RefundedCents > 0 && Trade.Status == TradeStatus.Closed ? "全额退款" : Trade.Status.Chinese();
    public string? FundChannel => Trade.FundKind?.FundChannel();

    /// <summary>fund_bill_list: one source pays a whole trade here.</summary>
    public IReadOnlyList<(string Channel, string Amount)> FundBills => Trade.FundKind is { } kind && Trade.PaidAtUtc is not null
        ? [(kind.FundChannel(), Money.Format(Trade.TotalCents))] : [];

    /// <summary>The buyer as a merchant sees it: 张*明 / 170****0001.</summary>
    public static string MaskName(string? name) => name is null or { Length: 0 } ? "" : name.Length == 1 ? "*" :
        name.Length == 2 ? name[0] + "*" : name[0] + new string('*', name.Length - 2) + name[^1];
}

/// <summary>What the gateway, the console and the cashier ask of a payment.</summary>
public sealed record PayRequest
{
    public required long SellerId { get; init; }
    /// <summary>The app creating the trade (its notifications are signed for it).</summary>
    public long? AppId { get; init; }
    /// <summary>That app's app_id, when the caller has it in hand (the gateway); read from the app otherwise.</summary>
    public string? AppCode { get; init; }
    public required string? OutTradeNo { get; init; }
    public required string? TotalAmount { get; init; }
    public required string? Subject { get; init; }
    /// <summary>bar_code or security_code.</summary>
    public required string? Scene { get; init; }
    public required string? AuthCode { get; init; }
    public string? ProductCode { get; init; }
    public string? StoreId { get; init; }
    /// <summary>terminal_id: the SN of the terminal it is paid at (face tokens carry theirs).</summary>
    public string? TerminalSn { get; init; }
    public string? NotifyUrl { get; init; }
    /// <summary>Who asks, for the terminal's 收款 check; null for the platform's own cashier at the terminal.</summary>
    public Accounts.Actor? Actor { get; init; }
}

/// <summary>A payment's outcome: paid, or waiting for the member (10003).</summary>
public sealed record PayOutcome(TradeView View, bool Waiting);
