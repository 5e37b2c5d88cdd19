namespace Touchpoint.Core.OpenPlatform;

/// <summary>An app on the open platform (我的应用), with its keys and settings.</summary>
public sealed class DeveloperApp
{
    public long Id { get; set; }
    /// <summary>16 digits, the public app_id.</summary>
    public required string AppId { get; set; }
    public long OwnerId { get; set; }
    public required string Name { get; set; }
    public AppKind Kind { get; set; }
    /// <summary>The app's RSA public key as bare base64 SPKI (PEM and PKCS1 uploads are normalized to this).</summary>
    public string? PublicKey { get; set; }
    /// <summary>Base64 AES key for 接口内容加密; null until generated.</summary>
    public string? AesKey { get; set; }
    /// <summary>应用网关: where asynchronous notifications go.</summary>
    public string? GatewayUrl { get; set; }
    /// <summary>Subscribed notification methods (消息服务 > from 平台), comma separated.</summary>
    public string Subscriptions { get; set; } = "";
    /// <summary>Added feature packages (功能列表), comma separated package codes.</summary>
    public string FeaturePackages { get; set; } = "";

    // Mini-program basic information (基础信息).
    public string? CategoryId { get; set; }
    public string? LogoUrl { get; set; }
    public string? Description { get; set; }
    public string? ServicePhone { get; set; }
    public string? ServiceEmail { get; set; }

    /// <summary>小程序预览: where the preview POSTs the phone-number payload, as the mini-program's my.request would.</summary>
    public string? PreviewBackendUrl { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }

    public IReadOnlyList<string> SubscriptionList => Split(Subscriptions);
    public IReadOnlyList<string> FeaturePackageList => Split(FeaturePackages);

    public bool IsSubscribed(string msgMethod) => SubscriptionList.Contains(msgMethod, StringComparer.Ordinal);

    /// <summary>R37: the 用户信息申请 entry appears only when this is true.</summary>
    public bool BasicInfoComplete =>
        !Kind.HasBasicInfo() || (!string.IsNullOrWhiteSpace(Name) && CategoryId is not null
            && !string.IsNullOrWhiteSpace(LogoUrl) && !string.IsNullOrWhiteSpace(Description)
            && !string.IsNullOrWhiteSpace(ServicePhone));

    public static string Join(IEnumerable<string> items) =>
        string.Join(',', items.Select(i => i.Trim()).Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static string[] Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
