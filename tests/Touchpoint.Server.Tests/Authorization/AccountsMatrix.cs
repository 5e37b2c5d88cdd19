using System.Text.Json;
using Touchpoint.Core.Accounts;
using Touchpoint.Server.Accounts;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>Accounts: the directory is the operator's; the counterpart search finds one account by exact login name or id, masked.</summary>
public static class AccountsMatrix
{
    private const string ByLogin = "exact login name";
    private const string ById = "account id";
    private const string ByNamePart = "part of a display name";

    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern                 relation         status  case
        new("GET",  "/api/accounts/",       Operator,        200),
        new("GET",  "/api/accounts/",       Owner,           403),
        new("GET",  "/api/accounts/",       ServiceProvider, 403),
        new("GET",  "/api/accounts/",       Manufacturer,    403),
        new("GET",  "/api/accounts/",       Anonymous,       401),
        new("POST", "/api/accounts/",       Operator,        201),
        new("POST", "/api/accounts/",       Owner,           403),
        new("POST", "/api/accounts/",       ServiceProvider, 403),
        new("POST", "/api/accounts/",       Manufacturer,    403),
        new("POST", "/api/accounts/",       Anonymous,       401),
        new("GET",  "/api/accounts/search", Owner,           200, ByLogin),
        new("GET",  "/api/accounts/search", Owner,           200, ById),
        new("GET",  "/api/accounts/search", Owner,           200, ByNamePart),  // finds nothing: no browsing by name
        new("GET",  "/api/accounts/search", ServiceProvider, 200, ByLogin),
        new("GET",  "/api/accounts/search", Manufacturer,    200, ByLogin),
        new("GET",  "/api/accounts/search", Operator,        200, ByLogin),
        new("GET",  "/api/accounts/search", Anonymous,       401, ByLogin),
    ];

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        ["GET /api/accounts/"] = c => Task.FromResult(Get("/api/accounts/")),
        ["POST /api/accounts/"] = c =>
        {
            var login = "mnew-" + Guid.NewGuid().ToString("N")[..16];
            return Task.FromResult(Json("/api/accounts/",
                new NewAccount(login, "矩阵新建商家", AccountRole.Merchant, MatrixWorld.Password, MerchantKind.Enterprise, "餐饮")));
        },
        ["GET /api/accounts/search"] = c =>
        {
            // The other merchant is the one looked for; whoever searches must learn no more than that it exists.
            var target = c.W.Other;
            var q = c.Case switch
            {
                ById => target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ByNamePart => target.Name[2..^4],
                _ => target.Login,
            };
            return Task.FromResult(Get($"/api/accounts/search?q={Uri.EscapeDataString(q)}", (_, body) =>
            {
                if (c.Row.Status != 200) return null;
                var found = Ids(body).Contains(target.Id);
                if (c.Case == ByNamePart)
                {
                    return found ? $"a part of the display name found the account: {Matrix.Clip(body)}" : null;
                }
                if (!found) return $"the exact match is missing: {Matrix.Clip(body)}";
                if (body.Contains(target.Login, StringComparison.OrdinalIgnoreCase)) return $"the answer shows the login name: {Matrix.Clip(body)}";
                if (body.Contains(target.Name, StringComparison.Ordinal)) return $"the display name is not masked: {Matrix.Clip(body)}";
                return null;
            }));
        },
    };

    /// <summary>The "id" of every object in a JSON array (or of the object itself).</summary>
    internal static HashSet<long> Ids(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var items = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToList()
            : doc.RootElement.TryGetProperty("items", out var list) ? list.EnumerateArray().ToList() : [doc.RootElement];
        return items.Where(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number)
            .Select(i => i.GetProperty("id").GetInt64()).ToHashSet();
    }
}
