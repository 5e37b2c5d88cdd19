namespace Touchpoint.Sdk;

public sealed class OpenApiClientOptions
{
    /// <summary>The gateway, e.g. https://touchpoint.example.com/gateway.do.</summary>
    public required Uri Gateway { get; init; }
    public required string AppId { get; init; }
    /// <summary>The app private key: PEM (PKCS1 or PKCS8) or bare base64.</summary>
    public required string PrivateKey { get; init; }
    /// <summary>The platform public key (支付宝公钥) used to verify responses and notifications.</summary>
    public required string PlatformPublicKey { get; init; }
    /// <summary>The AES key for 接口内容加密, when the app uses it.</summary>
    public string? AesKey { get; init; }
    public string SignType { get; init; } = "RSA2";
}
