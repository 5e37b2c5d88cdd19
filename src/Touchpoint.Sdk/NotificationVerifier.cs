using System.Security.Cryptography;

namespace Touchpoint.Sdk;

/// <summary>Checks an asynchronous notification (form parameters as received) against the platform public key.</summary>
public sealed class NotificationVerifier(string platformPublicKey) : IDisposable
{
    private readonly RSA _key = RsaKeys.ImportPublicKey(platformPublicKey);

    /// <summary>True when <c>sign</c> covers every parameter but <c>sign</c> and <c>sign_type</c>.</summary>
    public bool Verify(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var list = parameters.ToList();
        var sign = list.FirstOrDefault(p => p.Key == "sign").Value;
        var signType = list.FirstOrDefault(p => p.Key == "sign_type").Value ?? "RSA2";
        return AlipaySignature.IsKnownSignType(signType)
            && AlipaySignature.Verify(AlipaySignature.NotificationContent(list), sign, _key, signType);
    }

    public void Dispose() => _key.Dispose();
}
