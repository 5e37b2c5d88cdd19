using Touchpoint.Core.Accounts;
using Touchpoint.Core.OpenPlatform;

namespace Touchpoint.Core.Members;

/// <summary>How the phone-number payload is delivered, given the app's settings (R33).</summary>
public enum PayloadProtection
{
    /// <summary>AES-encrypted and signed: the app has its public key, AES key and gateway.</summary>
    EncryptedAndSigned,
    /// <summary>AES-encrypted but not signed: the public key or the gateway is missing (the seed's warning).</summary>
    EncryptedUnsigned,
    /// <summary>No AES key: the plaintext answer, unsigned.</summary>
    Plain,
}

/// <summary>R33/R36: who may get a member's phone number from a mini-program, and how it is protected.</summary>
public static class PhoneNumberRules
{
    public const string ApiName = "getPhoneNumber";
    public const string FieldName = "mobile";

    /// <summary>Throws 40006 (isv.insufficient-isv-permissions) naming what is missing.</summary>
    public static void CheckAllowed(DeveloperApp app, MerchantKind? ownerKind, AccountRole ownerRole, bool mobileApproved)
    {
        var missing = new List<string>();
        if (ownerRole != AccountRole.Merchant || ownerKind != MerchantKind.Enterprise)
        {
            missing.Add("获取会员手机号仅支持企业支付宝账号的小程序");
        }
        if (!app.FeaturePackageList.Contains(MemberFieldCatalogue.MobilePackage))
        {
            missing.Add("未添加功能包「获取会员手机号」（功能列表 > 添加功能）");
        }
        if (!mobileApproved)
        {
            missing.Add("用户信息申请中的手机号（getPhoneNumber.mobile）尚未审核通过");
        }
        if (missing.Count > 0)
        {
            throw OpenPlatformViolation.Permission("isv.insufficient-isv-permissions", "ISV权限不足：" + string.Join("；", missing));
        }
    }

    public static PayloadProtection ProtectionFor(DeveloperApp app) =>
        app.AesKey is null ? PayloadProtection.Plain
        : app.PublicKey is null || string.IsNullOrEmpty(app.GatewayUrl) ? PayloadProtection.EncryptedUnsigned
        : PayloadProtection.EncryptedAndSigned;
}
