using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Touchpoint.Core.Devices;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;

namespace Touchpoint.Server.Devices;

/// <summary>Query-string form of <see cref="DeviceListQuery"/>, shared by the list and the export.</summary>
public sealed record DeviceListParameters(DeviceScope? Scope, DeviceType? Type, string? Sn, bool? Online, string? App,
    long? Counterpart, DeviceSort? Sort, bool? Desc, int? Page, int? PageSize)
{
    public DeviceListQuery ToQuery() => new()
    {
        Scope = Scope ?? DeviceScope.Mine, Type = Type, Sn = Sn, Online = Online, App = App, CounterpartId = Counterpart,
        Sort = Sort ?? DeviceSort.Newest, Descending = Desc ?? true, Page = Page ?? 1, PageSize = PageSize ?? 20,
    };
}

public static class DevicesApi
{
    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/devices");
        api.MapGet("/", ListAsync);
        api.MapGet("/export", ExportAsync);
        api.MapGet("/{sn}", GetAsync);
        return app;
    }

    private static async Task<Ok<DevicePage>> ListAsync(ClaimsPrincipal user, DeviceQueries queries,
        [AsParameters] DeviceListParameters p, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListAsync(user.Actor(), p.ToQuery(), ct));

    private static async Task<IResult> GetAsync(ClaimsPrincipal user, DeviceQueries queries, string sn, CancellationToken ct)
    {
        var detail = await queries.GetAsync(user.Actor(), sn, ct);
        return TypedResults.Ok(new
        {
            detail.Row,
            detail.Device.Capabilities,
            detail.Device.AntOs,
            Apps = detail.Device.Apps.Select(a => new { a.PackageName, a.AppName, a.Version, a.VersionCode, a.BootStart }),
            Manufacturer = detail.ManufacturerName,
            MyPermissions = detail.MyPermissions,
            detail.IAmOwner,
            detail.Grants,
        });
    }

    /// <summary>Streams the current filter as a file; an empty result is a 400 with a message, never an empty file.</summary>
    private static async Task<IResult> ExportAsync(HttpContext http, ClaimsPrincipal user, DeviceExporter exporter,
        [AsParameters] DeviceListParameters p, ExportFormat? format, CancellationToken ct)
    {
        var actor = user.Actor();
        var query = p.ToQuery();
        await exporter.EnsureNotEmptyAsync(actor, query, ct);
        var fmt = format ?? ExportFormat.Xlsx;
        var fileName = $"设备列表-{ChinaTime.Format(DateTime.UtcNow, "yyyyMMdd-HHmmss")}.{(fmt == ExportFormat.Csv ? "csv" : "xlsx")}";
        http.Response.ContentType = fmt == ExportFormat.Csv
            ? "text/csv; charset=utf-8"
            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        http.Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment")
        {
            FileNameStar = fileName, FileName = fmt == ExportFormat.Csv ? "devices.csv" : "devices.xlsx",
        }.ToString();
        await exporter.WriteAsync(actor, query, fmt, http.Response.Body, ct);
        return TypedResults.Empty;
    }
}
