using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// Tools and the audit log: owner lookup (any account, masked, rate-limited per account), network and SIM
/// troubleshooting (whoever may view the device; by ICCID the operator only), the audit lines an account may read.
/// </summary>
public static class ToolsMatrix
{
    private const string ByIccid = "by ICCID";

    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern                           relation                  status  case
        new("GET",  "/api/tools/owner-lookup",        Owner,                    200),
        new("GET",  "/api/tools/owner-lookup",        ServiceProvider,          200),  // the owner's name comes masked
        new("GET",  "/api/tools/owner-lookup",        Manufacturer,             200),
        new("GET",  "/api/tools/owner-lookup",        Operator,                 200),
        new("GET",  "/api/tools/owner-lookup",        Anonymous,                401),
        new("GET",  "/api/tools/network/{sn}",        Owner,                    200),
        new("GET",  "/api/tools/network/{sn}",        GranteeWithPermission,    200),
        new("GET",  "/api/tools/network/{sn}",        GranteeWithoutPermission, 403),
        new("GET",  "/api/tools/network/{sn}",        OtherMerchant,            403),
        new("GET",  "/api/tools/network/{sn}",        ServiceProvider,          403),
        new("GET",  "/api/tools/network/{sn}",        Manufacturer,             403),
        new("GET",  "/api/tools/network/{sn}",        Operator,                 200),
        new("GET",  "/api/tools/network/{sn}",        Anonymous,                401),
        new("GET",  "/api/tools/sim/{snOrIccid}",     Owner,                    200),
        new("GET",  "/api/tools/sim/{snOrIccid}",     GranteeWithPermission,    200),
        new("GET",  "/api/tools/sim/{snOrIccid}",     GranteeWithoutPermission, 403),
        new("GET",  "/api/tools/sim/{snOrIccid}",     OtherMerchant,            403),
        new("GET",  "/api/tools/sim/{snOrIccid}",     Manufacturer,             403),
        new("GET",  "/api/tools/sim/{snOrIccid}",     Operator,                 200),
        new("GET",  "/api/tools/sim/{snOrIccid}",     Operator,                 200, ByIccid),
        new("GET",  "/api/tools/sim/{snOrIccid}",     Owner,                    403, ByIccid),  // even the ICCID of its own device
        new("GET",  "/api/tools/sim/{snOrIccid}",     Anonymous,                401),
        new("GET",  "/api/audit/",                    Owner,                    200),
        new("GET",  "/api/audit/",                    OtherMerchant,            200),  // reads none of the owner's lines
        new("GET",  "/api/audit/",                    GranteeWithPermission,    200),  // nor does the grantee
        new("GET",  "/api/audit/",                    Operator,                 200),
        new("GET",  "/api/audit/",                    Anonymous,                401),
    ];

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        ["GET /api/tools/owner-lookup"] = async c => Get($"/api/tools/owner-lookup?sn={await c.W.OwnedDeviceAsync()}", (_, body) =>
            c.Row.Status == 200 && (!body.Contains("Bound", StringComparison.Ordinal) || body.Contains(c.W.Owner.Name, StringComparison.Ordinal))
                ? $"expected a bound device with the owner's name masked: {Matrix.Clip(body)}" : null),
        ["GET /api/tools/network/{sn}"] = async c => Get($"/api/tools/network/{await c.DeviceAsync()}"),
        ["GET /api/tools/sim/{snOrIccid}"] = async c =>
        {
            var sn = await c.DeviceAsync();
            var iccid = await c.W.GiveSimAsync(sn);
            return Get($"/api/tools/sim/{(c.Is(ByIccid) ? iccid : sn)}");
        },
        ["GET /api/audit/"] = async c =>
        {
            var sn = await c.DeviceAsync();
            return Get($"/api/audit/?sn={sn}", (_, body) =>
            {
                if (c.Row.Status != 200) return null;
                var shown = body.Contains(sn, StringComparison.Ordinal);
                return shown == (c.Rel is Owner or Operator) ? null : $"the audit lines of {sn} are {(shown ? "shown" : "missing")}";
            });
        },
    };
}
