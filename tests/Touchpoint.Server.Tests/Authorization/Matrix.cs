using System.Text.Json;
using Touchpoint.Sdk;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>How the caller of a row stands to the resource the row arranges.</summary>
public enum Rel
{
    /// <summary>The device's owner, the app's owner, the entry's target owner, the order's merchant.</summary>
    Owner,
    /// <summary>A service provider holding an active grant from the owner with the permission the operation needs (any permission for viewing); on app endpoints, the provider whose third-party app the merchant authorized.</summary>
    GranteeWithPermission,
    /// <summary>The same provider holding only a grant of the other permissions (for viewing, where any active grant is enough: a revoked grant).</summary>
    GranteeWithoutPermission,
    /// <summary>Another merchant, with devices and apps of its own.</summary>
    OtherMerchant,
    /// <summary>A service provider with no relation to the resource.</summary>
    ServiceProvider,
    /// <summary>The demo manufacturer <c>maker</c>, who submitted the device through onboarding.</summary>
    Manufacturer,
    /// <summary>The demo platform operator <c>admin</c>.</summary>
    Operator,
    /// <summary>No cookie at all.</summary>
    Anonymous,
}

/// <summary>Who signs a gateway call.</summary>
public enum Caller
{
    /// <summary>The merchant's own app, signed with its own key.</summary>
    OwnApp,
    /// <summary>A service provider's third-party app, signed with its key, with the merchant app's app_auth_token.</summary>
    OnBehalf,
    /// <summary>An app_id the platform does not know (signed with a real key).</summary>
    UnknownApp,
    /// <summary>The merchant app's id, every parameter but no <c>sign</c>.</summary>
    Unsigned,
}

/// <summary>One line of the matrix: (HTTP method, route pattern as the endpoint declares it, relation[, case]) → status.</summary>
public sealed record Row(string Method, string Pattern, Rel Rel, int Status, string? Case = null)
{
    public string Endpoint => Matrix.Key(Method, Pattern);
    public override string ToString() => $"{Method} {Pattern} as {Rel}{(Case is null ? "" : $" [{Case}]")} → {Status}";
}

/// <summary>One line of the gateway matrix: (method name, caller[, case]) → Alipay code and sub_code.</summary>
public sealed record GatewayRow(string Method, Caller Caller, string Code, string? SubCode = null, string? Case = null)
{
    public override string ToString() =>
        $"{Method} as {Caller}{(Case is null ? "" : $" [{Case}]")} → {Code}{(SubCode is null ? "" : " " + SubCode)}";
}

/// <summary>
/// What a row sends: the URL (with its fresh resource ids) and body, and optionally a check of the answer beyond
/// the status (returns what is wrong, or null). <see cref="Client"/> replaces the relation's shared client for rows
/// that sign in or out (they would change the shared client's cookie).
/// </summary>
public sealed record Call(string Url, HttpContent? Body = null, Func<HttpResponseMessage, string, string?>? Check = null)
{
    public HttpClient? Client { get; init; }
}

/// <summary>What a gateway row sends: whose apps, which business content, files and extra top-level parameters.</summary>
public sealed record GatewayCall(TestApp MerchantApp, TestApp? ThirdParty = null, string? Token = null, object? Biz = null,
    IReadOnlyList<OpenApiFile>? Files = null, IReadOnlyDictionary<string, string>? Extra = null);

public delegate Task<Call> Arrange(RowContext c);

public delegate Task<GatewayCall> ArrangeGateway(GatewayRowContext c);

/// <summary>Every table of the matrix, and what the endpoint check may leave out.</summary>
public static class Matrix
{
    /// <summary>A case shared by several tables: a cookie-authenticated change sent without <c>X-Requested-With</c>.</summary>
    public const string WithoutRequestedWith = "without X-Requested-With";

    public static string Key(string method, string pattern) => $"{method} {pattern}";

    public static readonly IReadOnlyList<(string Feature, IReadOnlyList<Row> Rows, IReadOnlyDictionary<string, Arrange> Arrangements)> Features =
    [
        ("Public and auth", PublicMatrix.Rows, PublicMatrix.Arrangements),
        ("Accounts", AccountsMatrix.Rows, AccountsMatrix.Arrangements),
        ("Devices", DevicesMatrix.Rows, DevicesMatrix.Arrangements),
        ("Grants", GrantsMatrix.Rows, GrantsMatrix.Arrangements),
        ("Ownership", OwnershipMatrix.Rows, OwnershipMatrix.Arrangements),
        ("Tools and audit", ToolsMatrix.Rows, ToolsMatrix.Arrangements),
        ("Open platform", OpenPlatformMatrix.Rows, OpenPlatformMatrix.Arrangements),
        ("Member info", MemberInfoMatrix.Rows, MemberInfoMatrix.Arrangements),
        ("Console pages", PagesMatrix.Rows, PagesMatrix.Arrangements),
        ("App distribution", DistributionMatrix.Rows, DistributionMatrix.Arrangements),
        ("Payments", PaymentsMatrix.Rows, PaymentsMatrix.Arrangements),
        ("Broadcasts", BroadcastsMatrix.Rows, BroadcastsMatrix.Arrangements),
        ("Posters", PostersMatrix.Rows, PostersMatrix.Arrangements),
        ("Gifts", GiftsMatrix.Rows, GiftsMatrix.Arrangements),
        ("Clerks", ClerksMatrix.Rows, ClerksMatrix.Arrangements),
    ];

    public static IEnumerable<Row> Rows => Features.SelectMany(f => f.Rows);

    public static Arrange? ArrangementFor(string endpoint) =>
        Features.Select(f => f.Arrangements.GetValueOrDefault(endpoint)).FirstOrDefault(a => a is not null);

    /// <summary>
    /// Framework endpoints with no product decision in them, left out of the endpoint check (exact patterns, so a new
    /// framework endpoint shows up too). Everything else the host maps, every console page included, must have rows.
    /// </summary>
    public static readonly IReadOnlyList<(string Pattern, string Why)> FrameworkInternal =
    [
        ("{**path:file}", "MapStaticAssets' catch-all for files that are not in the build manifest"),
        ("/_blazor", "Blazor Server circuit: the SignalR hub"),
        ("/_blazor/negotiate", "Blazor Server circuit: SignalR negotiate"),
        ("/_blazor/disconnect/", "Blazor Server circuit: the browser leaving"),
        ("/_blazor/initializers/", "Blazor Server circuit: JS initializers"),
        ("/_framework/opaque-redirect", "Blazor enhanced navigation following a redirect"),
    ];

    public static bool IsFrameworkInternal(Microsoft.AspNetCore.Routing.RouteEndpoint endpoint) =>
        // MapStaticAssets: one endpoint per file of wwwroot and of the packages (app.css, _content/AntDesign/…, _framework/blazor.web.js).
        endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null
        || FrameworkInternal.Any(f => f.Pattern == endpoint.RoutePattern.RawText);

    internal static string? Clip(string text, int length = 300) => text.Length <= length ? text : text[..length] + "…";

    /// <summary>The ProblemDetails detail, when the body is one.</summary>
    internal static string? Detail(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static bool HasChinese(string? text) => text is not null && text.Any(ch => ch is >= '\u4e00' and <= '\u9fff');
}

/// <summary>The gateway's codes and the permission sub_code, as every gateway matrix writes its rows with them (PROTOCOL.md).</summary>
public static class GatewayCodes
{
    public const string Ok = "10000";
    public const string Missing = "40001";
    public const string Invalid = "40002";
    public const string Business = "40004";
    public const string Insufficient = "40006";
    public const string NoPermission = "isv.insufficient-isv-permissions";
}
