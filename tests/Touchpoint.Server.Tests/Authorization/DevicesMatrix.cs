using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Grants;
using Touchpoint.Server.DeviceChannel;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// Devices (R4): the owner may do everything; a grantee what its active grants from the current owner give, plus
/// viewing; the operator may view; everyone else 403. The device key: owner, grantee with 远程管理, the manufacturer
/// only while the device has no owner.
/// </summary>
public static class DevicesMatrix
{
    private const string Unowned = "submitted by maker, not yet authorized by the owner";
    private const string ScopeAll = "scope=All";
    private const string ScopeGranted = "scope=Granted";

    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern                          relation                  status  case
        new("GET",  "/api/devices/",                 Owner,                    200),
        new("GET",  "/api/devices/",                 GranteeWithPermission,    200, ScopeGranted),
        new("GET",  "/api/devices/",                 OtherMerchant,            200, ScopeGranted),  // sees none of the owner's devices
        new("GET",  "/api/devices/",                 Operator,                 200, ScopeAll),
        new("GET",  "/api/devices/",                 Owner,                    403, ScopeAll),
        new("GET",  "/api/devices/",                 Manufacturer,             403, ScopeAll),
        new("GET",  "/api/devices/",                 Anonymous,                401),
        new("GET",  "/api/devices/export",           Owner,                    200),
        new("GET",  "/api/devices/export",           GranteeWithPermission,    200, ScopeGranted),
        new("GET",  "/api/devices/export",           ServiceProvider,          400, ScopeGranted),  // nothing granted: "no devices to export"
        new("GET",  "/api/devices/export",           Operator,                 200, ScopeAll),
        new("GET",  "/api/devices/export",           OtherMerchant,            403, ScopeAll),
        new("GET",  "/api/devices/export",           Anonymous,                401),
        new("GET",  "/api/devices/{sn}",             Owner,                    200),
        new("GET",  "/api/devices/{sn}",             GranteeWithPermission,    200),
        new("GET",  "/api/devices/{sn}",             GranteeWithoutPermission, 403),
        new("GET",  "/api/devices/{sn}",             OtherMerchant,            403),
        new("GET",  "/api/devices/{sn}",             ServiceProvider,          403),
        new("GET",  "/api/devices/{sn}",             Manufacturer,             403),
        new("GET",  "/api/devices/{sn}",             Operator,                 200),
        new("GET",  "/api/devices/{sn}",             Anonymous,                401),
        new("GET",  "/api/devices/{sn}/connections", Owner,                    200),
        new("GET",  "/api/devices/{sn}/connections", GranteeWithPermission,    200),
        new("GET",  "/api/devices/{sn}/connections", GranteeWithoutPermission, 403),
        new("GET",  "/api/devices/{sn}/connections", OtherMerchant,            403),
        new("GET",  "/api/devices/{sn}/connections", Manufacturer,             403),
        new("GET",  "/api/devices/{sn}/connections", Operator,                 200),
        new("GET",  "/api/devices/{sn}/connections", Anonymous,                401),
        new("GET",  "/api/devices/{sn}/commands",    Owner,                    200),
        new("GET",  "/api/devices/{sn}/commands",    GranteeWithPermission,    200),
        new("GET",  "/api/devices/{sn}/commands",    GranteeWithoutPermission, 403),
        new("GET",  "/api/devices/{sn}/commands",    OtherMerchant,            403),
        new("GET",  "/api/devices/{sn}/commands",    Manufacturer,             403),
        new("GET",  "/api/devices/{sn}/commands",    Operator,                 200),
        new("GET",  "/api/devices/{sn}/commands",    Anonymous,                401),
        new("POST", "/api/devices/{sn}/commands",    Owner,                    200),
        new("POST", "/api/devices/{sn}/commands",    Owner,                    400, Matrix.WithoutRequestedWith),
        new("POST", "/api/devices/{sn}/commands",    GranteeWithPermission,    200),  // 远程管理
        new("POST", "/api/devices/{sn}/commands",    GranteeWithoutPermission, 403),
        new("POST", "/api/devices/{sn}/commands",    OtherMerchant,            403),
        new("POST", "/api/devices/{sn}/commands",    ServiceProvider,          403),
        new("POST", "/api/devices/{sn}/commands",    Manufacturer,             403),
        new("POST", "/api/devices/{sn}/commands",    Operator,                 403),
        new("POST", "/api/devices/{sn}/commands",    Anonymous,                401),
        new("POST", "/api/devices/{sn}/credential",  Owner,                    200),
        new("POST", "/api/devices/{sn}/credential",  GranteeWithPermission,    200),  // 远程管理
        new("POST", "/api/devices/{sn}/credential",  GranteeWithoutPermission, 403),
        new("POST", "/api/devices/{sn}/credential",  OtherMerchant,            403),
        new("POST", "/api/devices/{sn}/credential",  OtherMerchant,            403, Unowned),
        new("POST", "/api/devices/{sn}/credential",  ServiceProvider,          403),
        new("POST", "/api/devices/{sn}/credential",  Manufacturer,             200, Unowned),
        new("POST", "/api/devices/{sn}/credential",  Manufacturer,             403),  // once owned, the key is the owner's business
        new("POST", "/api/devices/{sn}/credential",  Operator,                 403),
        new("POST", "/api/devices/{sn}/credential",  Anonymous,                401),
    ];

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        ["GET /api/devices/"] = async c =>
        {
            var sn = await c.DeviceAsync();
            var scope = c.Case switch { ScopeAll => "scope=All&", ScopeGranted => "scope=Granted&", _ => "" };
            return Get($"/api/devices/?{scope}sn={sn}", (_, body) =>
            {
                if (c.Row.Status != 200) return null;
                var shown = body.Contains(sn, StringComparison.Ordinal);
                var shouldShow = c.Rel is Owner or GranteeWithPermission or Operator;
                return shown == shouldShow ? null : $"the list {(shown ? "shows" : "lacks")} the row's device {sn}";
            });
        },
        ["GET /api/devices/export"] = async c =>
        {
            var sn = await c.DeviceAsync();
            var query = c.Case switch { ScopeAll => "scope=All&", ScopeGranted => "scope=Granted&", _ => "" };
            return Get($"/api/devices/export?{query}sn={sn}&format=Csv", (_, body) =>
                c.Row.Status == 200 && !body.Contains(sn, StringComparison.Ordinal) ? $"the export lacks {sn}" : null);
        },
        ["GET /api/devices/{sn}"] = async c => Get($"/api/devices/{await c.DeviceAsync()}"),
        ["GET /api/devices/{sn}/connections"] = async c => Get($"/api/devices/{await c.DeviceAsync()}/connections"),
        ["GET /api/devices/{sn}/commands"] = async c => Get($"/api/devices/{await c.DeviceAsync()}/commands"),
        ["POST /api/devices/{sn}/commands"] = async c =>
            Json($"/api/devices/{await c.DeviceAsync(GrantPermissions.RemoteManagement)}/commands", new NewCommand(CommandKind.Restart), ChineseProblem(c)),
        ["POST /api/devices/{sn}/credential"] = async c =>
        {
            var sn = c.Is(Unowned) ? (await c.W.SubmitAsync(c.W.Owner, 1, decide: null)).Sns[0] : await c.DeviceAsync(GrantPermissions.RemoteManagement);
            return Empty($"/api/devices/{sn}/credential", (_, body) =>
                c.Row.Status == 200 && !body.Contains("PRIVATE KEY", StringComparison.Ordinal) ? "no private key in the answer" : null);
        },
    };

    /// <summary>For the X-Requested-With rows: the refusal is a ProblemDetails in Chinese.</summary>
    internal static Func<HttpResponseMessage, string, string?> ChineseProblem(RowContext c) => (_, body) =>
        c.Is(Matrix.WithoutRequestedWith) && !Matrix.HasChinese(Matrix.Detail(body)) ? $"no Chinese ProblemDetails detail: {Matrix.Clip(body)}" : null;
}
