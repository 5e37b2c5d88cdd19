// Device-list and export benchmark (issue: foundation). Seeds a fleet, then measures the exact code paths the
// console uses: DeviceQueries.ListAsync for the list page, DeviceExporter for exports.
// Usage: dotnet run -c Release --project bench/Touchpoint.Bench -- [--devices 1000000] [--iterations 200] [--providers sqlite,postgres]
//    or: dotnet run -c Release --project bench/Touchpoint.Bench -- gateway [--seconds 20] [--connections 64]  (see GatewayBench)
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Touchpoint.Bench;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Devices;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

if (args.FirstOrDefault() == "gateway")
{
    await GatewayBench.RunAsync(args[1..]);
    return;
}
if (args.FirstOrDefault() == "trade")
{
    await TradeBench.RunAsync(args[1..]);
    return;
}
if (args.FirstOrDefault() == "schedule")
{
    ScheduleBench.Run(args[1..]);
    return;
}
if (args.FirstOrDefault() == "posters")
{
    await PosterFleetBench.RunAsync(args[1..]);
    return;
}
if (args.FirstOrDefault() == "distribution")
{
    await DistributionBench.RunAsync(args[1..]);
    return;
}
if (args.FirstOrDefault() == "static-server")
{
    await DistributionBench.StaticServerAsync(args[1], args[2]);
    return;
}
if (args.FirstOrDefault() == "mqtt")
{
    await DeviceChannelBench.RunAsync(args[1..]);
    return;
}

var devices = IntArg("--devices", 1_000_000);
var iterations = IntArg("--iterations", 200);
var providers = (StringArg("--providers") ?? "sqlite,postgres").Split(',');
Console.WriteLine($"Touchpoint device-list benchmark: {devices:N0} devices, big owner {BulkSeeder.BigOwnerDevices:N0}, {iterations} iterations per query, {Environment.ProcessorCount} cores");

foreach (var provider in providers)
{
    var (factory, cleanup) = provider switch
    {
        "sqlite" => Sqlite(),
        "postgres" => Postgres(),
        _ => throw new ArgumentException($"unknown provider {provider}"),
    };
    Console.WriteLine($"\n== {provider}");
    await using (var db = factory.CreateDbContext())
    {
        await BulkSeeder.SeedAsync(db, devices);
    }
    var clock = TimeProvider.System;
    var queries = new DeviceQueries(factory, new DeviceAccess(factory, clock), clock);
    var owner = new Actor(BulkSeeder.BigOwnerId, AccountRole.Merchant, "压测商家1有限公司");
    if (args.Contains("--show-sql"))
    {
        await using var db = factory.CreateDbContext();
        var q = new DeviceListQuery { App = "3.2" };
        Console.WriteLine(DeviceQueries.Sort(queries.Filter(db, owner, q), q, sortFreeTextMatches: db.Database.IsNpgsql()).Take(20).Select(d => d.Id).ToQueryString());
    }
    await MeasureListAsync(queries, owner, iterations);
    await MeasureExportAsync(new DeviceExporter(factory, queries));
    cleanup();
}

static async Task MeasureListAsync(DeviceQueries queries, Actor owner, int iterations)
{
    var cases = new (string Name, DeviceListQuery Query)[]
    {
        ("first page, newest", new()),
        ("page 200", new() { Page = 200 }),
        ("type = 刷脸设备", new() { Type = DeviceType.FacePay }),
        ("online only", new() { Online = true }),
        ("sort last online", new() { Sort = DeviceSort.LastOnline }),
        ("sort SN asc", new() { Sort = DeviceSort.Sn, Descending = false }),
        ("SN contains", new() { Sn = "0000777" }),
        ("app version 3.2", new() { App = "3.2" }),
    };
    Console.WriteLine($"  {"device list query",-22} {"p50 ms",8} {"p95 ms",8} {"rows",8} {"total",8}");
    var all = new List<double>();
    foreach (var (name, query) in cases)
    {
        var page = await queries.ListAsync(owner, query); // warm-up and plan caching
        var times = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            var sw = Stopwatch.StartNew();
            page = await queries.ListAsync(owner, query);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        all.AddRange(times);
        Console.WriteLine($"  {name,-22} {Percentile(times, 50),8:F2} {Percentile(times, 95),8:F2} {page.Items.Count,8} {page.Total,8}");
    }
    var p95 = Percentile(all, 95);
    Console.WriteLine($"  {"ALL QUERIES",-22} {Percentile(all, 50),8:F2} {p95,8:F2}   target p95 < 50 ms: {(p95 < 50 ? "MET" : "MISSED")} ({p95 / 50:P0} of budget)");
}

static async Task MeasureExportAsync(DeviceExporter exporter)
{
    Console.WriteLine($"  {"export",-22} {"rows",8} {"seconds",8} {"rows/s",9} {"peak heap MB",13} {"alloc MB",9}");
    foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Xlsx })
    {
        foreach (var (ownerId, expected) in BulkSeeder.ExportOwners)
        {
            var owner = new Actor(ownerId, AccountRole.Merchant, "压测商家");
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var baseline = GC.GetTotalMemory(true);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var peak = baseline;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(false));
                    await Task.Delay(2);
                }
            });
            var sink = new CountingStream();
            var sw = Stopwatch.StartNew();
            await exporter.WriteAsync(owner, new DeviceListQuery(), format, sink, CancellationToken.None);
            var seconds = sw.Elapsed.TotalSeconds;
            sampling.Cancel();
            await sampler;
            var rows = format == ExportFormat.Csv ? sink.Newlines - 1 : expected; // CSV: minus the header line
            if (rows != expected) throw new InvalidOperationException($"export wrote {rows} rows, expected {expected}");
            Console.WriteLine($"  {format + " " + expected.ToString("N0"),-22} {rows,8:N0} {seconds,8:F2} {rows / seconds,9:N0} " +
                $"{(peak - baseline) / 1048576.0,13:F1} {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0,9:F0}");
        }
    }
}

static double Percentile(List<double> values, int p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
}

static (IDbContextFactory<TouchpointDb>, Action) Sqlite() => BenchDatabases.Sqlite();
static (IDbContextFactory<TouchpointDb>, Action) Postgres() => BenchDatabases.Postgres();

int IntArg(string name, int fallback) => StringArg(name) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
string? StringArg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

namespace Touchpoint.Bench
{
    internal sealed class Factory(Func<TouchpointDb> create) : IDbContextFactory<TouchpointDb>
    {
        public TouchpointDb CreateDbContext() => create();
    }

    /// <summary>A write-only sink that keeps nothing and counts bytes and newlines.</summary>
    internal sealed class CountingStream : Stream
    {
        public long Bytes { get; private set; }
        public long Newlines { get; private set; }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Bytes += buffer.Length;
            Newlines += System.MemoryExtensions.Count(buffer, (byte)'\n');
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) { Write(buffer, offset, count); return Task.CompletedTask; }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) { Write(buffer.Span); return ValueTask.CompletedTask; }
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Bytes;
        public override long Position { get => Bytes; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
