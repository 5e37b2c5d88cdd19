using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Touchpoint.Core.DeviceChannel;

namespace Touchpoint.Core.Tests.DeviceChannel;

public sealed class ConnectTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ATokenVerifiesForItsSnWithinTheWindowOnly()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = ConnectToken.Create("SN0001", key, Now);
        Assert.Equal(ConnectToken.Verdict.Valid, ConnectToken.Verify("SN0001", token, key, Now.AddMinutes(4)).Verdict);
        Assert.Equal(ConnectToken.Verdict.Expired, ConnectToken.Verify("SN0001", token, key, Now.AddMinutes(6)).Verdict);
        Assert.Equal(ConnectToken.Verdict.BadSignature, ConnectToken.Verify("SN0002", token, key, Now).Verdict);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1.abc")]
    [InlineData("v2.1795000000.nonce-nonce-nonce.AAAA")]
    [InlineData("v1.1795000000.short.AAAA")]
    public void MalformedTokensAreMalformed(string? token)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(ConnectToken.Verdict.Malformed, ConnectToken.Verify("SN0001", token, key, Now).Verdict);
    }

    [Fact]
    public void EachTokenHasItsOwnNonce()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var a = ConnectToken.Verify("SN0001", ConnectToken.Create("SN0001", key, Now), key, Now).Nonce;
        var b = ConnectToken.Verify("SN0001", ConnectToken.Create("SN0001", key, Now), key, Now).Nonce;
        Assert.NotEqual(a, b);
    }
}

public sealed class BrokerPasswordTests
{
    [Fact]
    public void ThePasswordIsTheDocumentedHmacOfTheKeysScalar()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var d = key.ExportParameters(true).D!;
        var expected = Convert.ToBase64String(HMACSHA256.HashData(d, Encoding.UTF8.GetBytes("touchpoint-broker-password-v1|SN0001")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(expected, BrokerPassword.Derive(key, "SN0001"));
    }

    [Fact]
    public void ThePasswordIsStableForAKeyButDiffersPerSnAndPerKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var same = ECDsa.Create();
        same.ImportFromPem(key.ExportPkcs8PrivateKeyPem()); // what the device loads from its credentials file
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(BrokerPassword.Derive(key, "SN0001"), BrokerPassword.Derive(same, "SN0001"));
        Assert.NotEqual(BrokerPassword.Derive(key, "SN0001"), BrokerPassword.Derive(key, "SN0002"));
        Assert.NotEqual(BrokerPassword.Derive(key, "SN0001"), BrokerPassword.Derive(other, "SN0001"));
        Assert.Equal(43, BrokerPassword.Derive(key, "SN0001").Length);
    }

    [Fact]
    public void APublicKeyAloneCannotDeriveIt()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var publicOnly = ECDsa.Create();
        publicOnly.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        Assert.ThrowsAny<CryptographicException>(() => BrokerPassword.Derive(publicOnly, "SN0001"));
    }
}

public sealed class DeviceTopicTests
{
    [Theory]
    [InlineData("tp/v1/d/SN1/up/telemetry", "SN1", UplinkKind.Telemetry)]
    [InlineData("tp/v1/d/SN1/up/status", "SN1", UplinkKind.Status)]
    [InlineData("tp/v1/d/SN1/up/result", "SN1", UplinkKind.Result)]
    public void UplinkTopicsParse(string topic, string sn, UplinkKind kind) => Assert.Equal((sn, kind), DeviceTopics.ParseUp(topic));

    [Theory]
    [InlineData("tp/v1/d/SN1/up/unknown")]
    [InlineData("tp/v1/d/SN1/down/cmd")]
    [InlineData("tp/v1/d/SN1/up/telemetry/extra")]
    [InlineData("other/SN1/up/telemetry")]
    public void AnythingElseIsNotAnUplink(string topic) => Assert.Null(DeviceTopics.ParseUp(topic));

    [Theory]
    [InlineData("tp/v1/d/SN1/down/#", true)]
    [InlineData("tp/v1/d/SN1/down/cmd", true)]
    [InlineData("tp/v1/d/SN2/down/#", false)]
    [InlineData("tp/v1/d/+/down/#", false)]
    [InlineData("tp/v1/d/SN1/up/#", false)]
    [InlineData("#", false)]
    public void ADeviceSubscribesOnlyToItsOwnDownlink(string filter, bool allowed) => Assert.Equal(allowed, DeviceTopics.MaySubscribe("SN1", filter));
}

public sealed class DeviceStatusTests
{
    [Fact]
    public void TheLastWillOfTheDocsReadsAsOfflineWithoutAReason()
    {
        var will = JsonSerializer.Deserialize<DeviceStatus>("{\"v\":1,\"online\":false}")!;
        Assert.Equal(new DeviceStatus(1, false), will);
        Assert.Equal("{\"v\":1,\"online\":true}", JsonSerializer.Serialize(new DeviceStatus(1, true)));
        Assert.Equal("{\"v\":1,\"online\":false,\"reason\":\"restart\"}", JsonSerializer.Serialize(new DeviceStatus(1, false, "restart")));
    }

    [Theory]
    [InlineData(true, ConnectionReason.Connected, "上线")]
    [InlineData(false, ConnectionReason.Lost, "异常断线")]
    [InlineData(false, ConnectionReason.Timeout, "心跳超时")]
    [InlineData(false, ConnectionReason.ServerRestart, "服务重启")]
    [InlineData(false, ConnectionReason.Disconnected, "下线")]
    public void ConnectionEventsHaveChineseNames(bool online, string reason, string name) => Assert.Equal(name, ConnectionReason.Chinese(online, reason));

    [Fact]
    public void OnlyLostLinksAndTimeoutsCountAsDrops()
    {
        Assert.True(ConnectionReason.IsAbnormal(ConnectionReason.Lost));
        Assert.True(ConnectionReason.IsAbnormal(ConnectionReason.Timeout));
        Assert.False(ConnectionReason.IsAbnormal(ConnectionReason.Disconnected));
        Assert.False(ConnectionReason.IsAbnormal(ConnectionReason.ServerRestart));
    }
}
