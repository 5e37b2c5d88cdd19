using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>Data Protection with the key ring in the database (shared by every node), sealing, throttles, outbound policy.</summary>
    public static IServiceCollection AddTouchpointSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration("Security");
        var settings = configuration.GetSection("Security").Get<SecurityOptions>() ?? new SecurityOptions();
        // The key-ring store resolves the context from a scope; hand it the provider's context from the one factory.
        services.AddScoped(sp => sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<TouchpointDb>>().CreateDbContext());
        var dataProtection = services.AddDataProtection().SetApplicationName("Touchpoint").PersistKeysToDbContext<TouchpointDb>();
        if (!string.IsNullOrEmpty(settings.KeyRingCertificatePath))
        {
            dataProtection.ProtectKeysWithCertificate(
                X509CertificateLoader.LoadPkcs12FromFile(settings.KeyRingCertificatePath, settings.KeyRingCertificatePassword));
        }
        services.AddSingleton<SecretBox>();
        services.AddSingleton<SecretSealer>();
        services.AddSingleton<RequestThrottle>();
        services.AddSingleton<OutboundUrlPolicy>();
        services.AddHostedService<SecuritySweeper>();
        if (settings.ForwardedHeaders.Enabled)
        {
            services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                foreach (var proxy in settings.ForwardedHeaders.KnownProxies)
                {
                    if (System.Net.IPNetwork.TryParse(proxy, out var network))
                    {
                        o.KnownIPNetworks.Add(network);
                    }
                    else
                    {
                        o.KnownProxies.Add(IPAddress.Parse(proxy));
                    }
                }
            });
        }
        return services;
    }
}
