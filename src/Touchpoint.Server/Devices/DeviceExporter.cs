using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Common;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Devices;

/// <summary>
/// Streams the device list of the current filter to CSV or XLSX. Rows are read with a database cursor and
/// written in batches, so memory does not grow with the number of devices.
/// </summary>
public sealed class DeviceExporter(IDbContextFactory<TouchpointDb> factory, DeviceQueries queries)
{
    internal const int BatchSize = 1000;

    /// <summary>Fails with a Chinese message before anything is written when there is nothing to export.</summary>
    public async Task EnsureNotEmptyAsync(Actor actor, DeviceListQuery query, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await queries.Filter(db, actor, query).AnyAsync(ct))
        {
            throw TouchpointException.Invalid("当前筛选条件下没有设备，无需导出");
        }
    }

    public async Task WriteAsync(Actor actor, DeviceListQuery query, ExportFormat format, Stream output, CancellationToken ct)
    {
        var rows = ReadAsync(actor, query, ct);
        if (format == ExportFormat.Csv)
        {
            await CsvWriter.WriteAsync(output, DeviceExportColumns.Headers, rows, ct);
        }
        else
        {
            await XlsxStreamWriter.WriteAsync(output, "设备列表", DeviceExportColumns.Headers, rows, ct);
        }
    }

    private async IAsyncEnumerable<string[]> ReadAsync(Actor actor, DeviceListQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        // One context holds the open cursor; the other looks up names and apps batch by batch.
        await using var cursorDb = await factory.CreateDbContextAsync(ct);
        await using var lookupDb = await factory.CreateDbContextAsync(ct);
        var batch = new List<Core.Devices.Device>(BatchSize);
        await foreach (var device in DeviceQueries.Sort(queries.Filter(cursorDb, actor, query), query).AsAsyncEnumerable().WithCancellation(ct))
        {
            batch.Add(device);
            if (batch.Count == BatchSize)
            {
                foreach (var row in await DeviceQueries.ToRowsAsync(lookupDb, batch, ct))
                {
                    yield return DeviceExportColumns.Values(row);
                }
                batch.Clear();
            }
        }
        foreach (var row in await DeviceQueries.ToRowsAsync(lookupDb, batch, ct))
        {
            yield return DeviceExportColumns.Values(row);
        }
    }
}
