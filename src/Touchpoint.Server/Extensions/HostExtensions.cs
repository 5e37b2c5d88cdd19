using Touchpoint.Server.Broadcasts;
using Touchpoint.Server.Payments;
using Touchpoint.Server.Posters;
using Touchpoint.Server.Gifts;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Touchpoint.Core.Accounts;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Apps;
using Touchpoint.Server.Audit;
using Touchpoint.Server.Common;
using Touchpoint.Server.Components;
using Touchpoint.Server.Demo;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Diagnostics;
using Touchpoint.Server.Distribution;
using Touchpoint.Server.Grants;
using Touchpoint.Server.Health;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Members;
using Touchpoint.Server.OpenApi;
using Touchpoint.Server.Ownership;
using Touchpoint.Server.Security;
using Touchpoint.Server.Tools;

namespace Touchpoint.Server.Extensions;

public static class HostExtensions
{
    public const string AuthCookie = "touchpoint.auth";

    public static WebApplicationBuilder AddTouchpoint(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Serve package assets (_framework, _content/AntDesign) from a build as well as from a publish, in every
        // environment; without a build manifest (a publish) this does nothing.
        builder.WebHost.UseStaticWebAssets();
        builder.AddTouchpointStorage();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        // The clerk's phone page signs in inside its circuit; the connection's address keys the sign-in throttle.
        services.AddHttpContextAccessor();
        services.AddOptions<DemoOptions>().BindConfiguration("Demo");
        services.AddOptions<OwnerLookupOptions>().BindConfiguration("OwnerLookup");

        services.AddSingleton<AccountService>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<DeviceAccess>();
        services.AddSingleton<DeviceQueries>();
        services.AddSingleton<DeviceExporter>();
        services.AddSingleton<GrantService>();
        services.AddSingleton<OnboardingService>();
        services.AddSingleton<PurchaseService>();
        services.AddSingleton<OwnerLookupService>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<DemoSandbox>();
        services.AddSingleton<DemoAgents>();
        services.AddHostedService<DemoAutoReview>();
        services.AddTouchpointSecurity(builder.Configuration);
        services.AddOpenPlatform();
        services.AddDeviceChannel(builder.Configuration);
        services.AddDistribution();
        services.AddPayments();
        services.AddBroadcasts(builder.Configuration);
        services.AddPosters();
        services.AddGifts();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.Cookie.Name = AuthCookie;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request came over HTTPS (behind a proxy: Security:ForwardedHeaders).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                // API callers get status codes, not a redirect to the login page.
                o.Events.OnRedirectToLogin = ctx => ApiOr(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddAntiforgery();
        services.AddProblemDetails();
        services.AddApiBadRequests();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddAntDesign();
        return builder;
    }

    public static WebApplication UseTouchpoint(this WebApplication app)
    {
        // The console speaks Chinese whatever the host's locale; AntDesign follows the current UI culture.
        var zh = new CultureInfo("zh-CN");
        CultureInfo.DefaultThreadCurrentCulture = zh;
        CultureInfo.DefaultThreadCurrentUICulture = zh;
        AntDesign.LocaleProvider.SetLocale("zh-CN");

        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value.ForwardedHeaders.Enabled)
        {
            app.UseForwardedHeaders();
        }
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }
        app.UseStatusCodePages(async ctx =>
        {
            // Browsers hitting a console URL that is not there get the console's 404 page; APIs keep bare codes.
            if (!ctx.HttpContext.Request.Path.StartsWithSegments("/api") && ctx.HttpContext.Response.StatusCode == 404)
            {
                ctx.HttpContext.Response.Redirect("/not-found");
            }
            await Task.CompletedTask;
        });
        app.UseWebSockets(); // devices' MQTT over WebSocket (DeviceChannel:WebSocketPath)
        app.UseApiBadRequests();
        app.UseCookieWriteGuard(AuthCookie);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapHealth();
        app.MapAuth();
        app.MapAccountsApi();
        app.MapDevicesApi();
        app.MapGrantsApi();
        app.MapOwnershipApi();
        app.MapToolsApi();
        app.MapAuditApi();
        app.MapGateway();
        app.MapOpenPlatformApi();
        app.MapRuntimeApi();
        app.MapDeviceChannelApi();
        app.MapDiagnosticsApi();
        app.MapDistributionApi();
        app.MapPaymentsApi();
        app.MapBroadcastsApi();
        app.MapPostersApi();
        app.MapGiftsApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
        }
        else
        {
            ctx.Response.Redirect(ctx.RedirectUri);
        }
        return Task.CompletedTask;
    }
}
