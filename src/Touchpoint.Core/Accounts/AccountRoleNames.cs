namespace Touchpoint.Core.Accounts;

public static class AccountRoleNames
{
    public static string Chinese(this AccountRole role) => role switch
    {
        AccountRole.Operator => "平台运营",
        AccountRole.Manufacturer => "厂商",
        AccountRole.Merchant => "商家",
        AccountRole.ServiceProvider => "服务商",
        _ => role.ToString(),
    };

    public static string Chinese(this MerchantKind kind) => kind switch
    {
        MerchantKind.Enterprise => "企业",
        MerchantKind.Individual => "个体工商户",
        _ => kind.ToString(),
    };
}
