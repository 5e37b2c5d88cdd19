using System.Security.Cryptography;
using System.Text;

namespace Touchpoint.Sdk;

/// <summary>接口内容加密: AES-CBC, PKCS7 padding, an IV of 16 zero bytes, base64 in and out.</summary>
public static class AesContent
{
    private static readonly byte[] ZeroIv = new byte[16];

    /// <summary>A new random AES-128 key, base64, as the console generates.</summary>
    public static string GenerateKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    public static string Encrypt(string plainText, string base64Key)
    {
        using var aes = Create(base64Key);
        return Convert.ToBase64String(aes.EncryptCbc(Encoding.UTF8.GetBytes(plainText), ZeroIv, PaddingMode.PKCS7));
    }

    /// <exception cref="FormatException">The text is not base64.</exception>
    /// <exception cref="CryptographicException">
    /// The padding does not check out, which is what a wrong key usually causes. About one wrong key in 256 passes the
    /// check and yields garbage instead, so callers that know what the plain text looks like must check it too.
    /// </exception>
    public static string Decrypt(string cipherText, string base64Key)
    {
        using var aes = Create(base64Key);
        return Encoding.UTF8.GetString(aes.DecryptCbc(Convert.FromBase64String(cipherText), ZeroIv, PaddingMode.PKCS7));
    }

    private static Aes Create(string base64Key)
    {
        var aes = Aes.Create();
        aes.Key = Convert.FromBase64String(base64Key);
        return aes;
    }
}
