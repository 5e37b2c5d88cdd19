namespace Touchpoint.Core.Accounts;

public enum AccountRole
{
    /// <summary>平台运营: runs the platform, issues onboarding and purchase entries.</summary>
    Operator = 1,
    /// <summary>厂商: makes devices and onboards them.</summary>
    Manufacturer = 2,
    /// <summary>商家: owns and operates devices.</summary>
    Merchant = 3,
    /// <summary>服务商: operates devices on behalf of merchants once granted.</summary>
    ServiceProvider = 4,
}

/// <summary>Whether a merchant is a company or a sole trader; later features (phone number) need enterprise.</summary>
public enum MerchantKind
{
    Enterprise = 1,
    Individual = 2,
}
