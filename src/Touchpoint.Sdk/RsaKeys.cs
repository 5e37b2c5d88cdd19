using System.Security.Cryptography;

namespace Touchpoint.Sdk;

/// <summary>Reads the key formats Alipay tooling hands out: PEM (PKCS1 or PKCS8/SPKI) or bare base64 DER.</summary>
public static class RsaKeys
{
    /// <summary>Imports a private key from PEM (RSA PRIVATE KEY / PRIVATE KEY) or bare base64 (PKCS1 or PKCS8).</summary>
    public static RSA ImportPrivateKey(string key) => Import(key, (rsa, der) =>
    {
        try
        {
            rsa.ImportPkcs8PrivateKey(der, out _);
        }
        catch (CryptographicException)
        {
            rsa.ImportRSAPrivateKey(der, out _);
        }
    });

    /// <summary>Imports a public key from PEM (PUBLIC KEY / RSA PUBLIC KEY) or bare base64 (SPKI or PKCS1).</summary>
    public static RSA ImportPublicKey(string key) => Import(key, (rsa, der) =>
    {
        try
        {
            rsa.ImportSubjectPublicKeyInfo(der, out _);
        }
        catch (CryptographicException)
        {
            rsa.ImportRSAPublicKey(der, out _);
        }
    });

    /// <summary>The public key as bare base64 SPKI, the form the Alipay console shows for copying.</summary>
    public static string ExportPublicKeyBase64(RSA rsa) => Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());

    /// <summary>PKCS1 PEM (-----BEGIN RSA PRIVATE KEY-----), the SDKs' default private key format.</summary>
    public static string ExportPrivateKeyPkcs1Pem(RSA rsa) => rsa.ExportRSAPrivateKeyPem();

    private static RSA Import(string key, Action<RSA, byte[]> importDer)
    {
        var rsa = RSA.Create();
        try
        {
            if (key.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                rsa.ImportFromPem(key);
            }
            else
            {
                importDer(rsa, Convert.FromBase64String(StripWhitespace(key)));
            }
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static string StripWhitespace(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
