using Touchpoint.Core.Accounts;

namespace Touchpoint.Server.Demo;

/// <summary>The demo logins, one of each role and two merchants; the console's start-up banner prints them.</summary>
public static class DemoAccounts
{
    public const string Operator = "admin";
    public const string Manufacturer = "maker";
    public const string Merchant = "merchant";
    public const string IndividualMerchant = "shop";
    public const string ServiceProvider = "isv";

    public static readonly (string Login, string Name, AccountRole Role, MerchantKind? Kind, string? Industry)[] All =
    [
        (Operator, "Touchpoint 平台运营", AccountRole.Operator, null, null),
        (Manufacturer, "深圳蜻蜓智能科技有限公司", AccountRole.Manufacturer, null, null),
        (Merchant, "杭州云点科技有限公司", AccountRole.Merchant, MerchantKind.Enterprise, "餐饮"),
        (IndividualMerchant, "李记便利店", AccountRole.Merchant, MerchantKind.Individual, "零售"),
        (ServiceProvider, "上海码上通信息技术有限公司", AccountRole.ServiceProvider, null, "服务商"),
    ];
}
