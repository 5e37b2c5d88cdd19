using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.DeviceChannel;

public sealed record NewCommand(Touchpoint.Core.DeviceChannel.CommandKind Kind);

public sealed record ConnectionRow(DateTime AtUtc, bool Online, string Reason, string? Endpoint);

public static class DeviceChannelApi
{
    public static IEndpointRouteBuilder MapDeviceChannelApi(this IEndpointRouteBuilder app)
    {
        var channel = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeviceChannelOptions>>().Value;
        if (channel.Broker == DeviceBrokerMode.Embedded && !string.IsNullOrEmpty(channel.WebSocketPath))
        {
            // Devices behind proxies that pass only HTTP(S) connect here; the MQTT CONNECT authenticates them.
            app.Map(channel.WebSocketPath, (HttpContext context, DeviceBroker broker) => broker.AcceptWebSocketAsync(context)).AllowAnonymous();
        }
        var api = app.MapApiGroup("/api/devices");
        // The device's MQTT identity; the private key is in this answer only.
        api.MapPost("/{sn}/credential", async (ClaimsPrincipal user, DeviceCredentialService credentials, string sn, CancellationToken ct) =>
            TypedResults.Ok(await credentials.IssueAsync(user.Actor(), sn, ct)));
        api.MapGet("/{sn}/connections", async (ClaimsPrincipal user, IDbContextFactory<TouchpointDb> factory, DeviceAccess access, string sn,
            CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var device = await access.RequireAsync(db, user.Actor(), sn, DeviceOperation.View, ct);
            var rows = await db.DeviceConnectionEvents.AsNoTracking().Where(e => e.DeviceId == device.Id)
                .OrderByDescending(e => e.Id).Take(100).ToListAsync(ct);
            return TypedResults.Ok(rows.Select(e => new ConnectionRow(e.AtUtc, e.Online, e.Reason, e.Endpoint)));
        });
        api.MapPost("/{sn}/commands", async (ClaimsPrincipal user, DeviceCommandService commands, string sn, NewCommand body, CancellationToken ct) =>
            TypedResults.Ok(await commands.RequestAsync(user.Actor(), sn, body.Kind, ct)));
        api.MapGet("/{sn}/commands", async (ClaimsPrincipal user, DeviceCommandService commands, string sn, CancellationToken ct) =>
            TypedResults.Ok(await commands.ListAsync(user.Actor(), sn, ct)));
        return app;
    }

    public static IServiceCollection AddDeviceChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeviceChannelOptions>().BindConfiguration("DeviceChannel");
        services.AddSingleton<DeviceCredentialService>();
        services.AddSingleton<DeviceIngest>();
        services.AddHostedService(sp => sp.GetRequiredService<DeviceIngest>());
        services.AddSingleton<DeviceUplink>();
        services.AddSingleton<DeviceCommandService>();
        services.AddHostedService<DeviceCommandSweeper>();
        var channel = configuration.GetSection("DeviceChannel").Get<DeviceChannelOptions>() ?? new DeviceChannelOptions();
        if (channel.Broker == DeviceBrokerMode.External)
        {
            services.AddSingleton<ExternalDeviceBroker>();
            services.AddSingleton<IDeviceDownlink>(sp => sp.GetRequiredService<ExternalDeviceBroker>());
            if (channel.Enabled)
            {
                services.AddHostedService(sp => sp.GetRequiredService<ExternalDeviceBroker>());
                services.AddHostedService<DeviceOnlineSweeper>();
            }
            if (channel.External.Accounts == ExternalDeviceAccounts.MosquittoDynamicSecurity)
            {
                services.AddSingleton<MosquittoDynamicSecurity>();
                services.AddSingleton<IDeviceAccounts>(sp => sp.GetRequiredService<MosquittoDynamicSecurity>());
            }
            else
            {
                services.AddSingleton<IDeviceAccounts, UnmanagedDeviceAccounts>();
            }
        }
        else
        {
            services.AddSingleton<DeviceBroker>();
            services.AddSingleton<IDeviceDownlink>(sp => sp.GetRequiredService<DeviceBroker>());
            services.AddSingleton<IDeviceAccounts>(sp => sp.GetRequiredService<DeviceBroker>());
            services.AddHostedService(sp => sp.GetRequiredService<DeviceBroker>());
        }
        return services;
    }
}
