using Touchpoint.Core.Grants;
using Touchpoint.Server.Grants;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>Grants (R4): only the device's owner grants (to a third account) and revokes; a grantee cannot pass a grant on.</summary>
public static class GrantsMatrix
{
    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern                         relation               status  case
        new("GET",  "/api/grants/issued",           Owner,                 200),
        new("GET",  "/api/grants/issued",           Owner,                 200, Matrix.WithoutRequestedWith),  // reads need no header
        new("GET",  "/api/grants/issued",           GranteeWithPermission, 200),
        new("GET",  "/api/grants/issued",           Operator,              200),
        new("GET",  "/api/grants/issued",           Anonymous,             401),
        new("GET",  "/api/grants/received",         GranteeWithPermission, 200),
        new("GET",  "/api/grants/received",         Owner,                 200),
        new("GET",  "/api/grants/received",         Anonymous,             401),
        new("POST", "/api/grants/",                 Owner,                 201),
        new("POST", "/api/grants/",                 Owner,                 400, Matrix.WithoutRequestedWith),
        new("POST", "/api/grants/",                 GranteeWithPermission, 403),  // holds all four permissions, still may not re-grant
        new("POST", "/api/grants/",                 OtherMerchant,         403),
        new("POST", "/api/grants/",                 ServiceProvider,       403),
        new("POST", "/api/grants/",                 Manufacturer,          403),
        new("POST", "/api/grants/",                 Operator,              403),
        new("POST", "/api/grants/",                 Anonymous,             401),
        new("POST", "/api/grants/{id:long}/revoke", Owner,                 200),
        new("POST", "/api/grants/{id:long}/revoke", GranteeWithPermission, 403),  // the grant's own grantee
        new("POST", "/api/grants/{id:long}/revoke", OtherMerchant,         403),
        new("POST", "/api/grants/{id:long}/revoke", Operator,              403),
        new("POST", "/api/grants/{id:long}/revoke", Anonymous,             401),
    ];

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        ["GET /api/grants/issued"] = async c =>
        {
            var grant = await c.W.GrantAsync(await c.W.OwnedDeviceAsync(), GrantPermissions.Poster);
            return Get("/api/grants/issued", (_, body) =>
                c.Row.Status == 200 && AccountsMatrix.Ids(body).Contains(grant.Id) != (c.Rel == Owner) ? $"grant {grant.Id} is {(c.Rel == Owner ? "missing" : "listed")}" : null);
        },
        ["GET /api/grants/received"] = async c =>
        {
            var grant = await c.W.GrantAsync(await c.W.OwnedDeviceAsync(), GrantPermissions.Poster);
            return Get("/api/grants/received", (_, body) =>
                c.Row.Status == 200 && AccountsMatrix.Ids(body).Contains(grant.Id) != (c.Rel == GranteeWithPermission) ? $"grant {grant.Id} is {(c.Rel == GranteeWithPermission ? "missing" : "listed")}" : null);
        },
        // To a third account: the unrelated provider, or (when it is the one asking) the other merchant.
        ["POST /api/grants/"] = async c =>
            Json("/api/grants/", new NewGrant(c.Rel == ServiceProvider ? c.W.Other.Id : c.W.Stranger.Id, null,
                [await c.DeviceAsync(GrantPermissions.All)], GrantPermissions.Poster), DevicesMatrix.ChineseProblem(c)),
        ["POST /api/grants/{id:long}/revoke"] = async c =>
            Empty($"/api/grants/{(await c.W.GrantAsync(await c.W.OwnedDeviceAsync(), GrantPermissions.Poster)).Id}/revoke"),
    };
}
