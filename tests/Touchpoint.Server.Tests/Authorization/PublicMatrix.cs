using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Apps;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>What answers without a console session: health, sign-in and sign-out, the simulated mini-program runtime (demo mode), devices' MQTT over WebSocket, the gateway's door.</summary>
public static partial class PublicMatrix
{
    private const string Token = "antiforgery token from /login";
    private const string NoToken = "no antiforgery token";
    private const string UnknownLogin = "unknown login name";
    private const string UnknownApp = "unknown app_id";

    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern                  relation   status  case
        new("GET",  "/healthz",              Anonymous, 200),
        new("GET",  "/healthz",              Owner,     200),
        new("POST", "/account/login",        Anonymous, 302, Token),
        new("POST", "/account/login",        Anonymous, 400, NoToken),
        new("POST", "/account/logout",       Owner,     302),
        new("POST", "/account/logout",       Anonymous, 302),
        new("POST", "/api/auth/login",       Anonymous, 200),
        new("POST", "/api/auth/login",       Anonymous, 400, UnknownLogin),
        new("POST", "/api/auth/login",       Anonymous, 200, Matrix.WithoutRequestedWith),  // no cookie yet: not a cookie-authenticated change
        new("POST", "/api/auth/logout",      Owner,     204),
        new("POST", "/api/auth/logout",      Anonymous, 204),
        new("GET",  "/api/auth/me",          Owner,     200),
        new("GET",  "/api/auth/me",          Operator,  200),
        new("GET",  "/api/auth/me",          Anonymous, 401),
        new("POST", "/runtime/authorize",    Anonymous, 200),
        new("POST", "/runtime/authorize",    Anonymous, 400, UnknownApp),
        new("POST", "/runtime/phone-number", Anonymous, 200),
        new("POST", "/runtime/phone-number", Anonymous, 400, UnknownApp),
        new("*",    "/mqtt",                 Anonymous, 400),  // a plain GET, not a WebSocket upgrade; devices authenticate in MQTT CONNECT
        new("GET",  "/gateway.do",           Anonymous, 200),  // always 200: the Alipay code says the rest (gateway table)
        new("POST", "/gateway.do",           Anonymous, 200),
    ];

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        ["GET /healthz"] = c => Task.FromResult(Get("/healthz")),
        ["POST /account/login"] = async c =>
        {
            var client = c.W.F.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = c.W.F.ClientOptions.BaseAddress });
            var fields = new Dictionary<string, string> { ["loginName"] = c.W.Owner.Login, ["password"] = MatrixWorld.Password };
            if (c.Is(Token))
            {
                var html = await client.GetStringAsync("/login");
                fields["__RequestVerificationToken"] = AntiforgeryField().Match(html).Groups[1].Value;
            }
            return new Call("/account/login", new FormUrlEncodedContent(fields), RedirectsTo("/", exact: true)) { Client = client };
        },
        ["POST /account/logout"] = async c => new Call("/account/logout", null, RedirectsTo("/login")) { Client = await FreshClientAsync(c) },
        ["POST /api/auth/login"] = c =>
        {
            var client = c.W.F.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = c.W.F.ClientOptions.BaseAddress });
            if (!c.Is(Matrix.WithoutRequestedWith))
            {
                client.DefaultRequestHeaders.Add(MatrixClients.RequestedWith, "XMLHttpRequest");
            }
            var login = c.Is(UnknownLogin) ? "nobody-" + Guid.NewGuid().ToString("N")[..8] : c.W.Stranger.Login;
            return Task.FromResult(Json("/api/auth/login", new { loginName = login, password = MatrixWorld.Password }) with { Client = client });
        },
        ["POST /api/auth/logout"] = async c => Empty("/api/auth/logout") with { Client = await FreshClientAsync(c) },
        ["GET /api/auth/me"] = c => Task.FromResult(Get("/api/auth/me")),
        ["POST /runtime/authorize"] = async c =>
        {
            var appId = c.Is(UnknownApp) ? "2099" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999) : await c.W.NewAppAsync();
            return Json("/runtime/authorize", new { app_id = appId, user_id = MatrixWorld.MemberUserId, scopes = "auth_user" });
        },
        ["POST /runtime/phone-number"] = async c =>
        {
            if (c.Is(UnknownApp))
            {
                return Json("/runtime/phone-number", new { app_id = "2099" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999), auth_code = "x" });
            }
            var app = await PhoneReadyAppAsync(c.W);
            return Json("/runtime/phone-number", new { app_id = app.AppId, auth_code = await c.W.AuthCodeAsync(app.AppId, "phoneNumber") });
        },
        ["* /mqtt"] = c => Task.FromResult(Get("/mqtt")),
        ["GET /gateway.do"] = c => Task.FromResult(Get("/gateway.do", GatewayRefuses)),
        ["POST /gateway.do"] = c => Task.FromResult(new Call("/gateway.do", new FormUrlEncodedContent([]), GatewayRefuses)),
    };

    /// <summary>A mini-program that may get phone numbers (R33): keys, AES key, gateway, package, the mobile field approved.</summary>
    public static async Task<TestApp> PhoneReadyAppAsync(MatrixWorld w)
    {
        var app = await w.NewSignedAppAsync();
        (await w.Owner.Client.PutAsJsonAsync($"/api/open/apps/{app.AppId}/gateway", new UrlText("https://merchant.example.com/alipay/gateway"))).EnsureSuccessStatusCode();
        (await w.Owner.Client.PostAsJsonAsync($"/api/open/apps/{app.AppId}/packages", new PackageCode(MemberFieldCatalogue.MobilePackage))).EnsureSuccessStatusCode();
        await w.ApproveAsync(await w.ApplyAsync(app.AppId));
        return app;
    }

    private static Task<HttpClient> FreshClientAsync(RowContext c) =>
        c.Rel == Anonymous ? Task.FromResult(c.W.F.Anonymous()) : c.W.F.SignInAsync(c.W.AccountFor(c.Rel)!.Login, MatrixWorld.Password);

    /// <summary>For 3xx rows: where to. Other statuses are the status comparison's business.</summary>
    internal static Func<HttpResponseMessage, string, string?> RedirectsTo(string path, bool exact = false) => (response, _) =>
    {
        if ((int)response.StatusCode is < 300 or > 399)
        {
            return null;
        }
        var location = response.Headers.Location;
        var target = location is null ? "" : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
        return (exact ? target == path : target.StartsWith(path, StringComparison.Ordinal)) ? null : $"redirects to '{target}', not {path}";
    };

    private static string? GatewayRefuses(HttpResponseMessage response, string body)
    {
        using var doc = JsonDocument.Parse(body);
        var node = doc.RootElement.GetProperty("error_response");
        return node.GetProperty("code").GetString() == "40001" ? null : $"expected 40001 for a call without parameters: {Matrix.Clip(body)}";
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
