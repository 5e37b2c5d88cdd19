namespace Touchpoint.Server.OpenApi;

/// <summary>
/// The platform's RSA key pair (支付宝公钥 is its public half). One row, made by the first node to start, so every
/// node of a deployment signs with the same key.
/// </summary>
public sealed class PlatformKey
{
    public const int SingletonId = 1;
    public int Id { get; set; }
    public required string PrivateKeyPem { get; set; }
    public required string PublicKey { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
