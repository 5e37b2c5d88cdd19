using System.Net.Http.Json;
using System.Text;
using Touchpoint.Core.Devices;
using Touchpoint.Server.Ownership;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// 厂商进件 and 申购 (R2, R3): the operator issues entries and ships; the entry's manufacturer submits; the target
/// owner authorizes; the entry's merchant orders and receives; an order is cancelled by its merchant or the operator.
/// </summary>
public static class OwnershipMatrix
{
    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern                                    relation         status
        new("GET",  "/api/onboarding/entries",                 Owner,           200),
        new("GET",  "/api/onboarding/entries",                 OtherMerchant,   200),  // lists none of the owner's entries
        new("GET",  "/api/onboarding/entries",                 Manufacturer,    200),
        new("GET",  "/api/onboarding/entries",                 Operator,        200),
        new("GET",  "/api/onboarding/entries",                 Anonymous,       401),
        new("POST", "/api/onboarding/entries",                 Operator,        200),
        new("POST", "/api/onboarding/entries",                 Owner,           403),
        new("POST", "/api/onboarding/entries",                 ServiceProvider, 403),
        new("POST", "/api/onboarding/entries",                 Manufacturer,    403),
        new("POST", "/api/onboarding/entries",                 Anonymous,       401),
        new("GET",  "/api/onboarding/entries/{id:long}/items", Owner,           200),
        new("GET",  "/api/onboarding/entries/{id:long}/items", Manufacturer,    200),
        new("GET",  "/api/onboarding/entries/{id:long}/items", Operator,        200),
        new("GET",  "/api/onboarding/entries/{id:long}/items", OtherMerchant,   403),
        new("GET",  "/api/onboarding/entries/{id:long}/items", ServiceProvider, 403),
        new("GET",  "/api/onboarding/entries/{id:long}/items", Anonymous,       401),
        new("POST", "/api/onboarding/entries/{id:long}/devices", Manufacturer,  200),
        new("POST", "/api/onboarding/entries/{id:long}/devices", Owner,         403),
        new("POST", "/api/onboarding/entries/{id:long}/devices", OtherMerchant, 403),
        new("POST", "/api/onboarding/entries/{id:long}/devices", Operator,      403),
        new("POST", "/api/onboarding/entries/{id:long}/devices", Anonymous,     401),
        new("POST", "/api/onboarding/entries/{id:long}/csv",   Manufacturer,    200),
        new("POST", "/api/onboarding/entries/{id:long}/csv",   Owner,           403),
        new("POST", "/api/onboarding/entries/{id:long}/csv",   Operator,        403),
        new("POST", "/api/onboarding/entries/{id:long}/csv",   Anonymous,       401),
        new("POST", "/api/onboarding/entries/{id:long}/decide", Owner,          200),
        new("POST", "/api/onboarding/entries/{id:long}/decide", Manufacturer,   403),
        new("POST", "/api/onboarding/entries/{id:long}/decide", OtherMerchant,  403),
        new("POST", "/api/onboarding/entries/{id:long}/decide", Operator,       403),
        new("POST", "/api/onboarding/entries/{id:long}/decide", Anonymous,      401),

        new("GET",  "/api/purchase/entries",                   Owner,           200),
        new("GET",  "/api/purchase/entries",                   OtherMerchant,   200),  // lists none of the owner's entries
        new("GET",  "/api/purchase/entries",                   Operator,        200),
        new("GET",  "/api/purchase/entries",                   Anonymous,       401),
        new("POST", "/api/purchase/entries",                   Operator,        200),
        new("POST", "/api/purchase/entries",                   Owner,           403),
        new("POST", "/api/purchase/entries",                   Manufacturer,    403),
        new("POST", "/api/purchase/entries",                   Anonymous,       401),
        new("GET",  "/api/purchase/orders",                    Owner,           200),
        new("GET",  "/api/purchase/orders",                    OtherMerchant,   200),  // lists none of the owner's orders
        new("GET",  "/api/purchase/orders",                    Operator,        200),
        new("GET",  "/api/purchase/orders",                    Anonymous,       401),
        new("POST", "/api/purchase/orders",                    Owner,           200),
        new("POST", "/api/purchase/orders",                    OtherMerchant,   403),
        new("POST", "/api/purchase/orders",                    Operator,        403),
        new("POST", "/api/purchase/orders",                    Anonymous,       401),
        new("GET",  "/api/purchase/stock",                     Operator,        200),
        new("GET",  "/api/purchase/stock",                     Owner,           403),
        new("GET",  "/api/purchase/stock",                     Manufacturer,    403),
        new("GET",  "/api/purchase/stock",                     Anonymous,       401),
        new("POST", "/api/purchase/orders/{id:long}/ship",     Operator,        200),
        new("POST", "/api/purchase/orders/{id:long}/ship",     Owner,           403),
        new("POST", "/api/purchase/orders/{id:long}/ship",     Manufacturer,    403),
        new("POST", "/api/purchase/orders/{id:long}/ship",     Anonymous,       401),
        new("POST", "/api/purchase/orders/{id:long}/receive",  Owner,           200),
        new("POST", "/api/purchase/orders/{id:long}/receive",  OtherMerchant,   403),
        new("POST", "/api/purchase/orders/{id:long}/receive",  Operator,        403),
        new("POST", "/api/purchase/orders/{id:long}/receive",  Anonymous,       401),
        new("POST", "/api/purchase/orders/{id:long}/cancel",   Owner,           200),
        new("POST", "/api/purchase/orders/{id:long}/cancel",   Operator,        200),
        new("POST", "/api/purchase/orders/{id:long}/cancel",   OtherMerchant,   403),
        new("POST", "/api/purchase/orders/{id:long}/cancel",   ServiceProvider, 403),
        new("POST", "/api/purchase/orders/{id:long}/cancel",   Anonymous,       401),
    ];

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        ["GET /api/onboarding/entries"] = async c =>
        {
            var entryId = await c.W.IssueEntryAsync(c.W.Owner);
            return Get("/api/onboarding/entries", Lists(c, entryId, Owner, Manufacturer, Operator));
        },
        ["POST /api/onboarding/entries"] = c => Task.FromResult(Json("/api/onboarding/entries", new IssueOnboardingRequest(c.W.Maker.Id, c.W.Owner.Id, "矩阵"))),
        ["GET /api/onboarding/entries/{id:long}/items"] = async c =>
            Get($"/api/onboarding/entries/{(await c.W.SubmitAsync(c.W.Owner, 1, decide: null)).EntryId}/items"),
        ["POST /api/onboarding/entries/{id:long}/devices"] = async c =>
            Json($"/api/onboarding/entries/{await c.W.IssueEntryAsync(c.W.Owner)}/devices",
                new[] { new SubmitDeviceRequest(Scenario.NewSn("AM"), "刷脸设备", null, "11", null) }),
        ["POST /api/onboarding/entries/{id:long}/csv"] = async c =>
            new Call($"/api/onboarding/entries/{await c.W.IssueEntryAsync(c.W.Owner)}/csv",
                new StringContent($"SN,设备类型\n{Scenario.NewSn("AM")},刷脸设备\n", Encoding.UTF8, "text/csv")),
        ["POST /api/onboarding/entries/{id:long}/decide"] = async c =>
            Json($"/api/onboarding/entries/{(await c.W.SubmitAsync(c.W.Owner, 1, decide: null)).EntryId}/decide", new DecideRequest(null, true)),

        ["GET /api/purchase/entries"] = async c =>
        {
            var entryId = await PurchaseEntryAsync(c.W);
            return Get("/api/purchase/entries", Lists(c, entryId, Owner, Operator));
        },
        ["POST /api/purchase/entries"] = c => Task.FromResult(Json("/api/purchase/entries", new IssuePurchaseRequest(c.W.Owner.Id, "矩阵"))),
        ["GET /api/purchase/orders"] = async c =>
        {
            var orderId = await OrderAsync(c.W);
            return Get("/api/purchase/orders", Lists(c, orderId, Owner, Operator));
        },
        ["POST /api/purchase/orders"] = async c => Json("/api/purchase/orders", new OrderRequest(await PurchaseEntryAsync(c.W), DeviceType.FacePay, 1)),
        ["GET /api/purchase/stock"] = c => Task.FromResult(Get("/api/purchase/stock?type=FacePay&count=1")),
        ["POST /api/purchase/orders/{id:long}/ship"] = async c =>
            Json($"/api/purchase/orders/{await OrderAsync(c.W)}/ship", new ShipRequest([await c.W.StockDeviceAsync()], "矩阵发货")),
        ["POST /api/purchase/orders/{id:long}/receive"] = async c =>
        {
            var orderId = await OrderAsync(c.W);
            await c.W.Operator.Client.PostAsync<PurchaseOrderSummary>($"/api/purchase/orders/{orderId}/ship", new ShipRequest([await c.W.StockDeviceAsync()], null));
            return Empty($"/api/purchase/orders/{orderId}/receive");
        },
        ["POST /api/purchase/orders/{id:long}/cancel"] = async c => Empty($"/api/purchase/orders/{await OrderAsync(c.W)}/cancel"),
    };

    private static async Task<long> PurchaseEntryAsync(MatrixWorld w) =>
        (await w.Operator.Client.PostAsync<PurchaseEntrySummary>("/api/purchase/entries", new IssuePurchaseRequest(w.Owner.Id, "矩阵"))).Id;

    private static async Task<long> OrderAsync(MatrixWorld w) =>
        (await w.Owner.Client.PostAsync<PurchaseOrderSummary>("/api/purchase/orders", new OrderRequest(await PurchaseEntryAsync(w), DeviceType.FacePay, 1))).Id;

    /// <summary>A list that must show <paramref name="id"/> to exactly the relations named.</summary>
    internal static Func<HttpResponseMessage, string, string?> Lists(RowContext c, long id, params Rel[] visibleTo) => (_, body) =>
    {
        if (c.Row.Status != 200) return null;
        var shown = AccountsMatrix.Ids(body).Contains(id);
        return shown == visibleTo.Contains(c.Rel) ? null : $"{(shown ? "shows" : "lacks")} #{id}";
    };
}
