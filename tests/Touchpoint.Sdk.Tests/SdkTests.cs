using System.Security.Cryptography;

namespace Touchpoint.Sdk.Tests;

public sealed class AesContentTests
{
    // Produced by alipay-sdk 4.14 (npm): aesEncryptText(plain, key) — the same bytes Alipay's own back ends expect.
    internal const string Key = "aGVsbG8xMjM0NTY3ODkwYQ==";
    internal const string Plain = "{\"code\":\"10000\",\"msg\":\"Success\",\"mobile\":\"13800000000\"}";
    internal const string FromNodeSdk = "v/FCeWgTjhYkiyt3uHZEDZaAU8CRaR8KtFe+Jgn0UBJ/ZP8KrwHhFjPZ2O0qpUkbKkwa10WrDEhQcQNfFdTEiA==";

    [Fact]
    public void EncryptsExactlyAsTheOfficialSdk() => Assert.Equal(FromNodeSdk, AesContent.Encrypt(Plain, Key));

    [Fact]
    public void DecryptsWhatTheOfficialSdkEncrypted() => Assert.Equal(Plain, AesContent.Decrypt(FromNodeSdk, Key));

    // Fixed keys, not random ones: a random wrong key passes the PKCS7 check about once in 256 runs.
    internal const string WrongKeyBadPadding = "AAAAAAAAAAAAAAAAAAAAAA==";
    internal const string WrongKeyValidPadding = "NwEAAAAAAAAAAAAAAAAAAA==";

    [Fact]
    public void WrongKeyUsuallyFailsThePaddingCheck() =>
        Assert.ThrowsAny<CryptographicException>(() => AesContent.Decrypt(FromNodeSdk, WrongKeyBadPadding));

    [Fact]
    public void SomeWrongKeysPassThePaddingCheckAndYieldGarbage() =>
        Assert.NotEqual(Plain, AesContent.Decrypt(FromNodeSdk, WrongKeyValidPadding));

    [Fact]
    public void GeneratedKeysAreAes128() => Assert.Equal(16, Convert.FromBase64String(AesContent.GenerateKey()).Length);
}

public sealed class AlipaySignatureTests
{
    [Fact]
    public void RequestContentSortsOrdinallyKeepsEmptyValuesAndSignTypeButNotSign()
    {
        var content = AlipaySignature.RequestContent(new Dictionary<string, string>
        {
            ["timestamp"] = "2026-11-24 10:00:00", ["sign"] = "xyz", ["app_id"] = "2026000000000001", ["biz_content"] = "{\"a\":\"b c\"}",
            ["sign_type"] = "RSA2", ["Zeta"] = "", ["charset"] = "utf-8",
        });
        Assert.Equal("Zeta=&app_id=2026000000000001&biz_content={\"a\":\"b c\"}&charset=utf-8&sign_type=RSA2&timestamp=2026-11-24 10:00:00", content);
    }

    [Fact]
    public void NotificationContentLeavesOutSignAndSignType() =>
        Assert.Equal("a=1&b=2", AlipaySignature.NotificationContent(new Dictionary<string, string> { ["b"] = "2", ["sign_type"] = "RSA2", ["sign"] = "s", ["a"] = "1" }));

    [Fact]
    public void SignaturesVerifyOnlyWithTheMatchingKeyAndContent()
    {
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var sign = AlipaySignature.Sign("a=1&b=2", key);
        Assert.True(AlipaySignature.Verify("a=1&b=2", sign, key));
        Assert.False(AlipaySignature.Verify("a=1&b=3", sign, key));
        Assert.False(AlipaySignature.Verify("a=1&b=2", sign, other));
        Assert.False(AlipaySignature.Verify("a=1&b=2", "not base64!", key));
        Assert.True(AlipaySignature.Verify("x", AlipaySignature.Sign("x", key, "RSA"), key, "RSA"));
    }

    [Fact]
    public void NotificationVerifierAcceptsTheSignedFormAndRejectsAnyChange()
    {
        using var platform = RSA.Create(2048);
        var form = new Dictionary<string, string>
        {
            ["notify_id"] = "n1", ["utc_timestamp"] = "1790000000000", ["msg_method"] = "alipay.open.app.api.field.changed",
            ["app_id"] = "2026000000000001", ["version"] = "1.1", ["biz_content"] = "{\"status\":\"agree\"}", ["charset"] = "utf-8", ["sign_type"] = "RSA2",
        };
        form["sign"] = AlipaySignature.Sign(AlipaySignature.NotificationContent(form), platform);
        using var verifier = new NotificationVerifier(RsaKeys.ExportPublicKeyBase64(platform));
        Assert.True(verifier.Verify(form));
        Assert.False(verifier.Verify(new Dictionary<string, string>(form) { ["biz_content"] = "{\"status\":\"reject\"}" }));
    }
}

public sealed class RsaKeysTests
{
    [Fact]
    public void PrivateKeysImportFromPkcs1AndPkcs8PemAndBareBase64()
    {
        using var rsa = RSA.Create(2048);
        var expected = RsaKeys.ExportPublicKeyBase64(rsa);
        foreach (var text in new[]
        {
            rsa.ExportRSAPrivateKeyPem(), rsa.ExportPkcs8PrivateKeyPem(),
            Convert.ToBase64String(rsa.ExportRSAPrivateKey()), Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()),
        })
        {
            using var imported = RsaKeys.ImportPrivateKey(text);
            Assert.Equal(expected, RsaKeys.ExportPublicKeyBase64(imported));
        }
    }

    [Fact]
    public void PublicKeysImportFromPemAndBareBase64InEitherEncoding()
    {
        using var rsa = RSA.Create(2048);
        var expected = RsaKeys.ExportPublicKeyBase64(rsa);
        foreach (var text in new[] { rsa.ExportSubjectPublicKeyInfoPem(), rsa.ExportRSAPublicKeyPem(), expected, Convert.ToBase64String(rsa.ExportRSAPublicKey()) })
        {
            using var imported = RsaKeys.ImportPublicKey(text);
            Assert.Equal(expected, RsaKeys.ExportPublicKeyBase64(imported));
        }
    }
}

public sealed class PhoneNumberDecryptorTests
{
    private static readonly RSA Platform = RSA.Create(2048);

    private static (string Response, string Sign) Signed(string cipher) =>
        (cipher, AlipaySignature.Sign("\"" + cipher + "\"", Platform));

    private static PhoneNumberDecryptor With(string aesKey) => new(RsaKeys.ExportPublicKeyBase64(Platform), aesKey);

    [Fact]
    public void DecryptsASignedPayload()
    {
        var (response, sign) = Signed(AesContentTests.FromNodeSdk);
        using var decryptor = With(AesContentTests.Key);
        Assert.Equal("13800000000", decryptor.Decrypt(response, sign));
    }

    [Theory]
    [InlineData(AesContentTests.WrongKeyBadPadding)]
    [InlineData(AesContentTests.WrongKeyValidPadding)]
    public void AWrongKeyIsReportedAsAKeyMismatchWhetherOrNotThePaddingHappensToCheckOut(string wrongKey)
    {
        var (response, sign) = Signed(AesContentTests.FromNodeSdk);
        using var decryptor = With(wrongKey);
        Assert.Contains("AES 密钥与加密时不一致", Assert.Throws<PhoneNumberException>(() => decryptor.Decrypt(response, sign)).Message);
    }

    [Fact]
    public void ATamperedPayloadFailsTheSignatureBeforeAnyDecryption()
    {
        var (response, sign) = Signed(AesContentTests.FromNodeSdk);
        using var decryptor = With(AesContentTests.Key);
        var tampered = (response[0] == 'A' ? "B" : "A") + response[1..];
        Assert.Contains("验签失败", Assert.Throws<PhoneNumberException>(() => decryptor.Decrypt(tampered, sign)).Message);
    }
}
