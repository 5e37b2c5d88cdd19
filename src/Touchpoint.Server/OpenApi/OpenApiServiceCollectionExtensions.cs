using Touchpoint.Server.Apps;
using Touchpoint.Server.MemberInfo;
using Touchpoint.Server.Members;
using Touchpoint.Server.Notifications;

namespace Touchpoint.Server.OpenApi;

public static class OpenApiServiceCollectionExtensions
{
    /// <summary>The open platform: apps, the gateway and its methods, member-information review, notifications.</summary>
    public static IServiceCollection AddOpenPlatform(this IServiceCollection services)
    {
        services.AddOptions<OpenApiOptions>().BindConfiguration("OpenApi");
        services.AddOptions<NotificationOptions>().BindConfiguration("Notifications");
        services.AddMemoryCache();
        services.AddSingleton<Infrastructure.BoundedCache>();
        // Outbound calls to addresses apps chose: only public ones (or the allow-list), checked on every connect.
        services.AddHttpClient(NotificationWorker.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<Security.OutboundUrlPolicy>().CreateHandler());

        services.AddSingleton<PlatformKeyring>();
        services.AddSingleton<AppDirectory>();
        services.AddSingleton<AppService>();
        services.AddSingleton<FieldApplicationService>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<NotificationSignal>();
        services.AddSingleton<NotificationQueries>();
        services.AddSingleton<Gateway>();
        services.AddHostedService<NotificationWorker>();
        services.AddSingleton<SimulatedMembers>();
        services.AddSingleton<MemberAuthService>();
        services.AddSingleton<PhoneNumberService>();
        services.AddSingleton<PreviewBackendClient>();
        services.AddHttpClient(PreviewBackendClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<Security.OutboundUrlPolicy>().CreateHandler());

        services.AddSingleton<IGatewayMethod, MiniBaseinfoQueryMethod>();
        services.AddSingleton<IGatewayMethod, MiniBaseinfoModifyMethod>();
        services.AddSingleton<IGatewayMethod, AppApiQueryMethod>();
        services.AddSingleton<IGatewayMethod, AppApiSceneQueryMethod>();
        services.AddSingleton<IGatewayMethod, AppApiFieldApplyMethod>();
        services.AddSingleton<IGatewayMethod, AppApiFieldQueryMethod>();
        services.AddSingleton<IGatewayMethod, OAuthTokenMethod>();
        services.AddSingleton<IGatewayMethod, UserInfoShareMethod>();
        services.AddSingleton<Diagnostics.NetworkDiagnostics>();
        services.AddSingleton<IGatewayMethod, Diagnostics.DeviceNetworkQueryMethod>();
        services.AddSingleton<IGatewayMethod, Diagnostics.SimCardQueryMethod>();
        return services;
    }

    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        // Signed by the app key, not the console cookie: anonymous as far as ASP.NET is concerned, no antiforgery.
        app.MapMethods("/gateway.do", ["GET", "POST"], (HttpContext http, Gateway gateway) => gateway.HandleAsync(http))
            .AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }
}
