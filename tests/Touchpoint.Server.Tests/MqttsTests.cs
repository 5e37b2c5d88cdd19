using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Touchpoint.Device;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>The embedded broker's MQTTS endpoint: a terminal that pins the server's certificate connects over TLS.</summary>
public sealed class MqttsTests : IDisposable
{
    private readonly TlsFactory _factory = new();

    [Fact]
    public async Task ATerminalConnectsOverTlsAndOneThatTrustsAnotherCertificateDoesNot()
    {
        var crt = _factory.Crt;
        var (_, otherCrt) = TlsFactory.WriteCertificate(_factory.Folder, "other");
        var (owner, sn, identity) = await DeviceChannelScenario.NewDeviceAsync(_factory);

        var options = DeviceChannelScenario.Options(_factory) with { Port = _factory.TlsPort, UseTls = true, TrustedCertificatePath = otherCrt };
        using (var stop = new CancellationTokenSource())
        {
            await using var impostor = new DeviceAgent(identity, options);
            var run = impostor.RunAsync(stop.Token);
            await Task.Delay(1500);
            Assert.False(impostor.IsConnected); // the server's certificate is not the one it trusts
            stop.Cancel();
            await run;
        }
        using (var stop = new CancellationTokenSource())
        {
            await using var agent = new DeviceAgent(identity, options with { TrustedCertificatePath = crt });
            var run = agent.RunAsync(stop.Token);
            var row = await DeviceChannelScenario.WaitForAsync(owner, sn, r => r.IsOnline);
            Assert.True(row.IsOnline);
            stop.Cancel();
            await run;
        }
    }

    public void Dispose() => _factory.Dispose();
}

/// <summary>SQLite and the embedded broker with an MQTTS endpoint on its own port, certificate made here.</summary>
public sealed class TlsFactory : TouchpointFactory
{
    public TlsFactory() => (Pfx, Crt) = WriteCertificate(Folder, "server");

    public int TlsPort { get; } = FreePorts.Next();
    public string Pfx { get; }
    public string Crt { get; }

    protected override string Provider => "Sqlite";
    protected override string ConnectionString => $"Data Source={Path.Combine(Folder, "touchpoint.db")}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("DeviceChannel:TlsCertificatePath", Pfx);
        builder.UseSetting("DeviceChannel:TlsCertificatePassword", "test");
        builder.UseSetting("DeviceChannel:TlsPort", TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static (string Pfx, string Crt) WriteCertificate(string folder, string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=touchpoint-{name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pfx = Path.Combine(folder, $"{name}.pfx");
        var crt = Path.Combine(folder, $"{name}.crt");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "test"));
        File.WriteAllText(crt, certificate.ExportCertificatePem());
        return (pfx, crt);
    }
}
