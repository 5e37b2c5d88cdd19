using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Ownership;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;

namespace Touchpoint.Server.Ownership;

public sealed record IssueOnboardingRequest(long ManufacturerId, long TargetOwnerId, string? Note);
public sealed record SubmitDeviceRequest(string Sn, string Type, string? Model, string? AndroidVersion, string? TransferType);
public sealed record DecideRequest(IReadOnlyCollection<long>? ItemIds, bool Accept = true);
public sealed record IssuePurchaseRequest(long MerchantId, string? Note);
public sealed record OrderRequest(long EntryId, DeviceType DeviceType, int Quantity);
public sealed record ShipRequest(IReadOnlyList<string> Sns, string? Note);

public static class OwnershipApi
{
    /// <summary>A CSV batch: 2 MB is about 40,000 rows, far more than one batch should hold.</summary>
    public const long MaxCsvBytes = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapOwnershipApi(this IEndpointRouteBuilder app)
    {
        var onboarding = app.MapApiGroup("/api/onboarding");
        onboarding.MapGet("/entries", async (ClaimsPrincipal user, OnboardingService s, int? page, int? pageSize, HttpResponse response, CancellationToken ct) =>
            TypedResults.Ok((await s.ListAsync(user.Actor(), PageRequest.Of(page, pageSize), ct)).WriteTo(response)));
        onboarding.MapPost("/entries", async (ClaimsPrincipal user, OnboardingService s, IssueOnboardingRequest r, CancellationToken ct) =>
            TypedResults.Ok(await s.IssueAsync(user.Actor(), r.ManufacturerId, r.TargetOwnerId, r.Note, ct)));
        onboarding.MapGet("/entries/{id:long}/items", async (ClaimsPrincipal user, OnboardingService s, long id, CancellationToken ct) =>
            TypedResults.Ok(await s.ItemsAsync(user.Actor(), id, ct)));
        onboarding.MapPost("/entries/{id:long}/devices", async (ClaimsPrincipal user, OnboardingService s, long id,
            IReadOnlyList<SubmitDeviceRequest> rows, CancellationToken ct) =>
            TypedResults.Ok(await s.SubmitAsync(user.Actor(), id,
                rows.Select((r, i) => new OnboardingRow(i + 1, r.Sn, r.Type, r.Model, r.AndroidVersion, r.TransferType)), ct)));
        // A CSV batch as the raw request body (text/csv), the same rules row by row.
        onboarding.MapPost("/entries/{id:long}/csv", async (ClaimsPrincipal user, OnboardingService s, long id, HttpRequest request,
            CancellationToken ct) =>
        {
            // Checked before buffering: a declared length over the limit is refused unread, a body without one is cut off
            // by Kestrel at the same limit (the size-limit metadata below).
            if (request.ContentLength > MaxCsvBytes)
            {
                throw TouchpointException.Invalid($"CSV 文件超过 {MaxCsvBytes / 1024 / 1024}MB，请分批上传");
            }
            using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
            var text = await reader.ReadToEndAsync(ct);
            return TypedResults.Ok(await s.SubmitAsync(user.Actor(), id, OnboardingCsv.Parse(text), ct));
        }).WithMetadata(new RequestSizeLimitAttribute(MaxCsvBytes));
        onboarding.MapPost("/entries/{id:long}/decide", async (ClaimsPrincipal user, OnboardingService s, long id, DecideRequest r,
            CancellationToken ct) => TypedResults.Ok(new { decided = await s.DecideAsync(user.Actor(), id, r.ItemIds, r.Accept, ct) }));

        var purchase = app.MapApiGroup("/api/purchase");
        purchase.MapGet("/entries", async (ClaimsPrincipal user, PurchaseService s, int? page, int? pageSize, HttpResponse response, CancellationToken ct) =>
            TypedResults.Ok((await s.ListEntriesAsync(user.Actor(), PageRequest.Of(page, pageSize), ct)).WriteTo(response)));
        purchase.MapPost("/entries", async (ClaimsPrincipal user, PurchaseService s, IssuePurchaseRequest r, CancellationToken ct) =>
            TypedResults.Ok(await s.IssueAsync(user.Actor(), r.MerchantId, r.Note, ct)));
        purchase.MapGet("/orders", async (ClaimsPrincipal user, PurchaseService s, int? page, int? pageSize, HttpResponse response, CancellationToken ct) =>
            TypedResults.Ok((await s.ListOrdersAsync(user.Actor(), PageRequest.Of(page, pageSize), ct)).WriteTo(response)));
        purchase.MapPost("/orders", async (ClaimsPrincipal user, PurchaseService s, OrderRequest r, CancellationToken ct) =>
            TypedResults.Ok(await s.OrderAsync(user.Actor(), r.EntryId, r.DeviceType, r.Quantity, ct)));
        purchase.MapGet("/stock", async (ClaimsPrincipal user, PurchaseService s, [FromQuery] DeviceType type, [FromQuery] int count,
            CancellationToken ct) => TypedResults.Ok(await s.StockAsync(user.Actor(), type, count, ct)));
        purchase.MapPost("/orders/{id:long}/ship", async (ClaimsPrincipal user, PurchaseService s, long id, ShipRequest r, CancellationToken ct) =>
            TypedResults.Ok(await s.ShipAsync(user.Actor(), id, r.Sns, r.Note, ct)));
        purchase.MapPost("/orders/{id:long}/receive", async (ClaimsPrincipal user, PurchaseService s, long id, CancellationToken ct) =>
            TypedResults.Ok(await s.ReceiveAsync(user.Actor(), id, ct)));
        purchase.MapPost("/orders/{id:long}/cancel", async (ClaimsPrincipal user, PurchaseService s, long id, CancellationToken ct) =>
            TypedResults.Ok(await s.CancelAsync(user.Actor(), id, ct)));
        return app;
    }
}
