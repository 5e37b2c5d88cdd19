using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Payments;

namespace Touchpoint.Server.Tests.Infrastructure;

/// <summary>Members, terminals and the simulated people at them, through the public API and the runtime API.</summary>
public static class PaymentScenario
{
    /// <summary>A fresh member (the operator creates it), so that daily totals and balances belong to this test alone.</summary>
    public static async Task<MemberView> NewMemberAsync(this TouchpointFactory f, string balance = "3000.00", string huabei = "5000.00", string card = "20000.00",
        bool facePay = true, FaceStatus status = FaceStatus.Normal, bool lookAlike = false)
    {
        var op = await f.OperatorAsync();
        var mobile = "179" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await op.PostAsync<MemberView>("/api/members", new MemberEdit("测试会员", "测试会员甲", mobile, facePay, status, lookAlike,
            [new FundingEdit(FundingKind.Balance, "余额", balance), new FundingEdit(FundingKind.Huabei, "花呗", huabei), new FundingEdit(FundingKind.BankCard, "测试银行卡", card)]));
    }

    public static async Task<JsonElement> RuntimeAsync(this TouchpointFactory f, string path, object body, int expected = 200)
    {
        using var http = f.CreateClient();
        var response = await http.PostAsJsonAsync("/runtime" + path, body, ApiClient.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> StartCashierAsync(this TouchpointFactory f, string sn, string amount, string? outTradeNo = null, string? appId = null,
        string? notifyUrl = null) =>
        f.RuntimeAsync($"/terminals/{sn}/cashier", new RuntimeCashier(amount, outTradeNo, "测试商品", appId, notifyUrl));

    public static Task<JsonElement> FaceAsync(this TouchpointFactory f, string sn, string userId, params string[] conditions) =>
        f.RuntimeAsync($"/terminals/{sn}/face", new RuntimeFace(userId, conditions));

    public static Task<JsonElement> VerifyAsync(this TouchpointFactory f, string sn, string digits) =>
        f.RuntimeAsync($"/terminals/{sn}/verify", new RuntimeDigits(digits));

    public static async Task<string> PaymentCodeAsync(this TouchpointFactory f, string userId) =>
        (await f.RuntimeAsync($"/members/{userId}/payment-code", new { })).GetProperty("payment_code").GetString()!;

    public static string S(this JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : "";

    public static string NewOrderNo() => "T" + Guid.NewGuid().ToString("N")[..20];
}
