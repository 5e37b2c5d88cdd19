using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Touchpoint.Sdk;

/// <summary>Why a phone-number payload could not be read; never a half-decrypted number.</summary>
public sealed class PhoneNumberException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The merchant back end's side of my.getPhoneNumber (PROTOCOL.md §5): verify the platform's sign over the quoted
/// ciphertext, then AES-decrypt with the app's key and read <c>mobile</c>.
/// </summary>
public sealed class PhoneNumberDecryptor(string platformPublicKey, string aesKey) : IDisposable
{
    private readonly RSA _platformKey = RsaKeys.ImportPublicKey(platformPublicKey);

    /// <summary>Reads the mini-program's <c>response</c> JSON string as posted to the back end.</summary>
    /// <exception cref="PhoneNumberException">Unsigned, tampered, truncated, encrypted with another key, or not a success.</exception>
    public string Decrypt(string payloadJson)
    {
        string? response, sign, signType;
        try
        {
            using var document = JsonDocument.Parse(payloadJson);
            var root = document.RootElement;
            response = root.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            sign = root.TryGetProperty("sign", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            signType = root.TryGetProperty("sign_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "RSA2";
        }
        catch (JsonException e)
        {
            throw new PhoneNumberException("报文不是 JSON：请把 my.getPhoneNumber 返回的 response 原样传给后端", e);
        }
        if (string.IsNullOrEmpty(response))
        {
            throw new PhoneNumberException("报文缺少 response");
        }
        return Decrypt(response, sign, signType ?? "RSA2");
    }

    /// <summary>Verifies <paramref name="sign"/> over <c>"</c> + <paramref name="response"/> + <c>"</c>, then decrypts.</summary>
    public string Decrypt(string response, string? sign, string signType = "RSA2")
    {
        if (string.IsNullOrEmpty(sign))
        {
            throw new PhoneNumberException("报文没有 sign：请在开发设置中配置应用公钥、AES 密钥和应用网关，未签名的报文不可信");
        }
        if (!AlipaySignature.IsKnownSignType(signType))
        {
            throw new PhoneNumberException($"不支持的签名类型 {signType}");
        }
        if (!AlipaySignature.Verify(Encoding.UTF8.GetBytes("\"" + response + "\""), sign, _platformKey, signType))
        {
            throw new PhoneNumberException("验签失败：报文被篡改、截断，或支付宝公钥不对");
        }
        // The signature already proved the ciphertext is the platform's, and the platform only encrypts JSON, so both
        // a padding failure and a non-JSON result mean one thing: the key differs. A wrong key passes the PKCS7 check
        // about once in 256 tries, so the second case is not rare enough to get its own, vaguer message.
        const string KeyMismatch = "解密失败：AES 密钥与加密时不一致（密钥是否已轮换？）";
        string plain;
        try
        {
            plain = AesContent.Decrypt(response, aesKey);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new PhoneNumberException(KeyMismatch, e);
        }
        try
        {
            using var document = JsonDocument.Parse(plain);
            var root = document.RootElement;
            var code = root.TryGetProperty("code", out var c) ? c.GetString() : null;
            if (code != "10000")
            {
                throw new PhoneNumberException($"获取手机号失败：{code} {(root.TryGetProperty("subMsg", out var m) ? m.GetString() : "")}");
            }
            var mobile = root.TryGetProperty("mobile", out var mo) ? mo.GetString() : null;
            if (mobile is null || mobile.Length != 11 || !mobile.All(char.IsAsciiDigit))
            {
                throw new PhoneNumberException("解密结果中没有 11 位手机号");
            }
            return mobile;
        }
        catch (JsonException e)
        {
            throw new PhoneNumberException(KeyMismatch, e);
        }
    }

    public void Dispose() => _platformKey.Dispose();
}
