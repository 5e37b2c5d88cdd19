namespace Touchpoint.Core.OpenPlatform;

public sealed record FeaturePackage(string Code, string Name, string Description);

/// <summary>A privacy field that an API returns and that an app must apply for (R14).</summary>
public sealed record MemberApiField(string ApiName, string FieldName, string PackageCode, string FieldTitle);

public sealed record FieldScene(string SceneCode, string SceneDesc);

/// <summary>A mini-program category (小程序类目) and the member fields it may apply for, with their scenes (R16, R25).</summary>
public sealed record MiniCategory(string Id, string Name, IReadOnlyDictionary<string, IReadOnlyList<string>> AllowedScenesByField)
{
    public bool Allows(string fieldName) => AllowedScenesByField.ContainsKey(fieldName);
}

/// <summary>
/// The seeded industry rules: which category may apply for which member field and in which scenes.
/// Codes are Touchpoint's own (Alipay does not publish its catalogue); docs/openapi.md lists them.
/// </summary>
public static class MemberFieldCatalogue
{
    public const string MobilePackage = "OPEN_MEMBER_MOBILE";
    public const string MemberInfoPackage = "OPEN_MEMBER_INFO";
    public const string FieldChangedMethod = "alipay.open.app.api.field.changed";

    public static readonly IReadOnlyList<FeaturePackage> Packages =
    [
        new(MobilePackage, "获取会员手机号", "小程序内通过 my.getPhoneNumber 获取会员绑定的手机号"),
        new(MemberInfoPackage, "获取会员信息", "通过 alipay.user.info.share 获取会员基础信息"),
    ];

    public static readonly IReadOnlyList<MemberApiField> Fields =
    [
        new("getPhoneNumber", "mobile", MobilePackage, "手机号"),
        new("alipay.user.info.share", "mobile", MemberInfoPackage, "手机号"),
        new("alipay.user.info.share", "user_name", MemberInfoPackage, "姓名"),
        new("alipay.user.info.share", "cert_no", MemberInfoPackage, "证件号码"),
        new("alipay.user.info.share", "address", MemberInfoPackage, "收货地址"),
    ];

    public static readonly IReadOnlyDictionary<string, string> SceneDescriptions = new Dictionary<string, string>
    {
        ["MEMBER_REGISTER"] = "会员注册与登录",
        ["ORDER_CONTACT"] = "订单联系与售后",
        ["ACCOUNT_SECURITY"] = "账号安全验证",
        ["REAL_NAME_SERVICE"] = "实名服务",
        ["INVOICE"] = "开具发票",
        ["REAL_NAME_VERIFY"] = "实名核验",
        ["INSURANCE_ENROLL"] = "投保与理赔",
        ["DELIVERY"] = "商品配送",
    };

    public static readonly IReadOnlyList<MiniCategory> Categories =
    [
        new("C01_C0101", "餐饮_餐厅", Allow(("mobile", ["MEMBER_REGISTER", "ORDER_CONTACT"]))),
        new("C02_C0201", "零售_便利店", Allow(("mobile", ["MEMBER_REGISTER", "ORDER_CONTACT"]), ("user_name", ["INVOICE"]))),
        new("C03_C0301", "金融_保险", Allow(("mobile", ["MEMBER_REGISTER", "ACCOUNT_SECURITY"]), ("user_name", ["REAL_NAME_SERVICE"]), ("cert_no", ["REAL_NAME_VERIFY", "INSURANCE_ENROLL"]))),
        new("C04_C0401", "交通出行_共享单车", Allow(("mobile", ["MEMBER_REGISTER", "ACCOUNT_SECURITY"]), ("user_name", ["REAL_NAME_SERVICE"]), ("cert_no", ["REAL_NAME_VERIFY"]))),
        new("C05_C0501", "生活服务_快递物流", Allow(("mobile", ["ORDER_CONTACT"]), ("user_name", ["REAL_NAME_SERVICE"]), ("address", ["DELIVERY"]))),
        new("C06_C0601", "文娱_小游戏", Allow()),
        new("C07_C0701", "政务民生_政务服务", Allow(("mobile", ["MEMBER_REGISTER", "ACCOUNT_SECURITY"]), ("user_name", ["REAL_NAME_SERVICE"]), ("cert_no", ["REAL_NAME_VERIFY"]), ("address", ["DELIVERY"]))),
    ];

    public static MiniCategory? FindCategory(string? id) => Categories.FirstOrDefault(c => c.Id == id);

    public static FeaturePackage? FindPackage(string? code) => Packages.FirstOrDefault(p => p.Code == code);

    public static MemberApiField? FindField(string apiName, string fieldName) =>
        Fields.FirstOrDefault(f => f.ApiName == apiName && f.FieldName == fieldName);

    /// <summary>What an app of this category may apply for (alipay.open.app.api.query).</summary>
    public static IReadOnlyList<MemberApiField> FieldsFor(MiniCategory category) =>
        Fields.Where(f => category.Allows(f.FieldName)).ToList();

    public static IReadOnlyList<FieldScene> ScenesFor(MiniCategory category, string fieldName) =>
        category.AllowedScenesByField.TryGetValue(fieldName, out var scenes)
            ? scenes.Select(s => new FieldScene(s, SceneDescriptions[s])).ToList()
            : [];

    private static Dictionary<string, IReadOnlyList<string>> Allow(params (string Field, string[] Scenes)[] rules) =>
        rules.ToDictionary(r => r.Field, r => (IReadOnlyList<string>)r.Scenes);
}
