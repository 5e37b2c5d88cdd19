using static Touchpoint.Server.Tests.Authorization.Rel;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// The console's pages (razor @page routes, GET and POST as Blazor maps them). An [Authorize] page sends the anonymous
/// to /login?ReturnUrl=… (302) and renders for any account (each page's data still goes through the services' checks,
/// the API tables above); a POST without an antiforgery token is refused (400) once signed in. Login, 404 and error
/// pages are open.
/// </summary>
public static class PagesMatrix
{
    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern                       relation   status
        new("GET",  "/",                          Owner,     200),
        new("GET",  "/",                          Anonymous, 302),
        new("POST", "/",                          Owner,     400),
        new("POST", "/",                          Anonymous, 302),
        new("GET",  "/login",                     Anonymous, 200),
        new("POST", "/login",                     Anonymous, 400),
        new("GET",  "/not-found",                 Anonymous, 200),
        new("POST", "/not-found",                 Anonymous, 400),
        new("GET",  "/error",                     Anonymous, 200),
        new("POST", "/error",                     Anonymous, 400),
        new("GET",  "/devices",                   Owner,     200),
        new("GET",  "/devices",                   Anonymous, 302),
        new("POST", "/devices",                   Owner,     400),
        new("POST", "/devices",                   Anonymous, 302),
        new("GET",  "/devices/granted",           GranteeWithPermission, 200),
        new("GET",  "/devices/granted",           Anonymous, 302),
        new("POST", "/devices/granted",           GranteeWithPermission, 400),
        new("POST", "/devices/granted",           Anonymous, 302),
        new("GET",  "/devices/detail/{Sn}",       Owner,     200),
        new("GET",  "/devices/detail/{Sn}",       OtherMerchant, 200),  // renders the refusal, not the device
        new("GET",  "/devices/detail/{Sn}",       Anonymous, 302),
        new("POST", "/devices/detail/{Sn}",       Owner,     400),
        new("POST", "/devices/detail/{Sn}",       Anonymous, 302),
        new("GET",  "/devices/grants",            Owner,     200),
        new("GET",  "/devices/grants",            Anonymous, 302),
        new("POST", "/devices/grants",            Owner,     400),
        new("POST", "/devices/grants",            Anonymous, 302),
        new("GET",  "/devices/grants/new",        Owner,     200),
        new("GET",  "/devices/grants/new",        Anonymous, 302),
        new("POST", "/devices/grants/new",        Owner,     400),
        new("POST", "/devices/grants/new",        Anonymous, 302),
        new("GET",  "/ownership/onboarding",      Owner,     200),
        new("GET",  "/ownership/onboarding",      Anonymous, 302),
        new("POST", "/ownership/onboarding",      Manufacturer, 400),
        new("POST", "/ownership/onboarding",      Anonymous, 302),
        new("GET",  "/ownership/purchase",        Owner,     200),
        new("GET",  "/ownership/purchase",        Anonymous, 302),
        new("POST", "/ownership/purchase",        Owner,     400),
        new("POST", "/ownership/purchase",        Anonymous, 302),
        new("GET",  "/tools/owner-lookup",        ServiceProvider, 200),
        new("GET",  "/tools/owner-lookup",        Anonymous, 302),
        new("POST", "/tools/owner-lookup",        ServiceProvider, 400),
        new("POST", "/tools/owner-lookup",        Anonymous, 302),
        new("GET",  "/tools/network",             Owner,     200),
        new("GET",  "/tools/network",             Anonymous, 302),
        new("POST", "/tools/network",             Owner,     400),
        new("POST", "/tools/network",             Anonymous, 302),
        new("GET",  "/tools/sim",                 Owner,     200),
        new("GET",  "/tools/sim",                 Anonymous, 302),
        new("POST", "/tools/sim",                 Owner,     400),
        new("POST", "/tools/sim",                 Anonymous, 302),
        new("GET",  "/audit",                     Owner,     200),
        new("GET",  "/audit",                     Anonymous, 302),
        new("POST", "/audit",                     Owner,     400),
        new("POST", "/audit",                     Anonymous, 302),
        new("GET",  "/open/apps",                 Owner,     200),
        new("GET",  "/open/apps",                 Anonymous, 302),
        new("POST", "/open/apps",                 Owner,     400),
        new("POST", "/open/apps",                 Anonymous, 302),
        new("GET",  "/open/apps/{AppId}",         Owner,     200),
        new("GET",  "/open/apps/{AppId}",         OtherMerchant, 200),  // renders "应用不存在", not the app
        new("GET",  "/open/apps/{AppId}",         Operator,  200),      // the app, but not its AES key
        new("GET",  "/open/apps/{AppId}",         Anonymous, 302),
        new("POST", "/open/apps/{AppId}",         Owner,     400),
        new("POST", "/open/apps/{AppId}",         Anonymous, 302),
        new("GET",  "/open/apps/{AppId}/preview", Owner,     200),
        new("GET",  "/open/apps/{AppId}/preview", OtherMerchant, 200),  // renders "应用不存在"
        new("GET",  "/open/apps/{AppId}/preview", Anonymous, 302),
        new("POST", "/open/apps/{AppId}/preview", Owner,     400),
        new("POST", "/open/apps/{AppId}/preview", Anonymous, 302),
        new("GET",  "/open/sandbox",              Owner,     200),
        new("GET",  "/open/sandbox",              Anonymous, 302),
        new("POST", "/open/sandbox",              Owner,     400),
        new("POST", "/open/sandbox",              Anonymous, 302),
        new("GET",  "/ops/accounts",              Operator,  200),
        new("GET",  "/ops/accounts",              Owner,     200),      // renders the refusal, not the directory
        new("GET",  "/ops/accounts",              Anonymous, 302),
        new("POST", "/ops/accounts",              Operator,  400),
        new("POST", "/ops/accounts",              Anonymous, 302),
        new("GET",  "/ops/member-info",           Operator,  200),
        new("GET",  "/ops/member-info",           Anonymous, 302),
        new("POST", "/ops/member-info",           Operator,  400),
        new("POST", "/ops/member-info",           Anonymous, 302),
        new("GET",  "/ops/member-info/{Id:long}", Operator,  200),
        new("GET",  "/ops/member-info/{Id:long}", OtherMerchant, 200),  // renders the refusal, not the application
        new("GET",  "/ops/member-info/{Id:long}", Anonymous, 302),
        new("POST", "/ops/member-info/{Id:long}", Operator,  400),
        new("POST", "/ops/member-info/{Id:long}", Anonymous, 302),
        new("GET",  "/ops/notifications",         Operator,  200),
        new("GET",  "/ops/notifications",         Anonymous, 302),
        new("POST", "/ops/notifications",         Operator,  400),
        new("POST", "/ops/notifications",         Anonymous, 302),
    ];

    /// <summary>
    /// Each page's URL (pages with parameters get the shared page resources: an app, a device, an application of the
    /// owner) and, for pages that show one resource, what the rendered HTML must (allowed) or must not (refused) show.
    /// </summary>
    private static readonly (string Pattern, Func<MatrixWorld.PageResources, string> Url, Func<RowContext, MatrixWorld.PageResources, string, string?>? Problem)[] Pages =
    [
        ("/", _ => "/", null), ("/login", _ => "/login", null), ("/not-found", _ => "/not-found", null), ("/error", _ => "/error", null),
        ("/devices", _ => "/devices", null), ("/devices/granted", _ => "/devices/granted", null),
        ("/devices/detail/{Sn}", r => $"/devices/detail/{r.Sn}", (c, r, html) => Shows(c, html, c.W.Owner.Name, Owner)),
        ("/devices/grants", _ => "/devices/grants", null), ("/devices/grants/new", _ => "/devices/grants/new", null),
        ("/ownership/onboarding", _ => "/ownership/onboarding", null), ("/ownership/purchase", _ => "/ownership/purchase", null),
        ("/tools/owner-lookup", _ => "/tools/owner-lookup", null), ("/tools/network", _ => "/tools/network", null), ("/tools/sim", _ => "/tools/sim", null),
        ("/audit", _ => "/audit", null), ("/open/apps", _ => "/open/apps", null),
        // The 开发设置 tab, where the keys are: the AES key is for no one's eyes but the owner's (the operator included).
        ("/open/apps/{AppId}", r => $"/open/apps/{r.AppId}?tab=dev", (c, r, html) => Shows(c, html, r.AppName, Owner, Operator) ?? Hides(c, html, r.AesKey, Owner)),
        ("/open/apps/{AppId}/preview", r => $"/open/apps/{r.AppId}/preview", (c, r, html) => Shows(c, html, r.AppName, Owner)),
        ("/open/sandbox", _ => "/open/sandbox", null),
        ("/ops/accounts", _ => "/ops/accounts", (c, r, html) => Shows(c, html, c.W.Other.Login, Operator)),
        ("/ops/member-info", _ => "/ops/member-info", null),
        ("/ops/member-info/{Id:long}", r => $"/ops/member-info/{r.ApplicationId}", (c, r, html) => Shows(c, html, r.AppName, Operator)),
        ("/ops/notifications", _ => "/ops/notifications", null),
    ];

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = Pages
        .SelectMany(p => new (string, Arrange)[]
        {
            (Matrix.Key("GET", p.Pattern), async c =>
            {
                var resources = await c.W.PageResourcesAsync();
                return RowContext.Get(p.Url(resources), (response, body) => PublicMatrix.RedirectsTo("/login")(response, body)
                    ?? (c.Row.Status == 200 && p.Problem is not null ? p.Problem(c, resources, System.Net.WebUtility.HtmlDecode(body)) : null));
            }),
            (Matrix.Key("POST", p.Pattern), async c =>
                new Call(p.Url(await c.W.PageResourcesAsync()), new FormUrlEncodedContent([]), PublicMatrix.RedirectsTo("/login"))),
        })
        .ToDictionary(p => p.Item1, p => p.Item2);

    /// <summary>The rendered page does not show <paramref name="text"/> to anyone but the relations named (who may or may not see it).</summary>
    private static string? Hides(RowContext c, string html, string text, params Rel[] exempt) =>
        !exempt.Contains(c.Rel) && html.Contains(text, StringComparison.Ordinal) ? $"the page shows '{text}'" : null;

    /// <summary>The rendered page shows <paramref name="text"/> to the relations named, and to nobody else.</summary>
    private static string? Shows(RowContext c, string html, string text, params Rel[] shownTo)
    {
        var shown = html.Contains(text, StringComparison.Ordinal);
        return shown == shownTo.Contains(c.Rel) ? null : $"the page {(shown ? "shows" : "does not show")} '{text}'";
    }
}
