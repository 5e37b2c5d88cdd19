using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Server.OpenApi;
using Touchpoint.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// The authorization matrix: every endpoint the host maps (API, console pages, gateway methods) has rows, and every
/// row holds over real HTTP against the real host. A new endpoint without rows fails here before it ships open.
/// </summary>
/// <remarks>
/// Layout: one table per feature (<c>*Matrix.cs</c>: <c>Rows</c>, one line per (method, pattern, relation[, case]) →
/// status, and <c>Arrangements</c>, one per endpoint, building the row's fresh resources and its request);
/// <see cref="Matrix"/> lists the tables and the framework endpoints left out; <see cref="MatrixWorld"/> holds the
/// accounts the rows share and the helpers that arrange resources. A new endpoint needs its rows and one arrangement.
/// </remarks>
public abstract class AuthorizationMatrixTests(TouchpointFactory factory, ITestOutputHelper output)
{
    /// <summary>Rows run this many at a time (the arrangements dominate; the host is one process either way).</summary>
    private const int Parallelism = 4;

    [Fact]
    public void EveryEndpointHasARow()
    {
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !Matrix.IsFrameworkInternal(e))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => (Key: Matrix.Key(m, e.RoutePattern.RawText ?? ""), Page: e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)))
            .ToList();
        var endpoints = mapped.Select(e => e.Key).ToHashSet();
        var rows = Matrix.Rows.ToList();
        var covered = rows.Select(r => r.Endpoint).ToHashSet();
        var problems = new List<string>();

        problems.AddRange(mapped.Where(e => !covered.Contains(e.Key)).Select(e => $"no row: {e.Key}{(e.Page ? " (console page)" : "")}").Distinct());
        problems.AddRange(covered.Where(k => !endpoints.Contains(k)).Order().Select(k => $"stale rows, no such endpoint: {k}"));
        var patterns = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText).ToHashSet();
        problems.AddRange(Matrix.FrameworkInternal.Where(f => !patterns.Contains(f.Pattern)).Select(f => $"stale exclusion, no such endpoint: {f.Pattern}"));
        problems.AddRange(covered.Where(k => Matrix.ArrangementFor(k) is null).Order().Select(k => $"rows without an arrangement: {k}"));
        // The first feature's arrangement wins, so a second one for the same endpoint would silently never run.
        problems.AddRange(Matrix.Features.SelectMany(f => f.Arrangements.Keys.Select(k => (f.Feature, Key: k))).GroupBy(x => x.Key)
            .Where(g => g.Count() > 1).Select(g => $"arranged in two features ({string.Join(", ", g.Select(x => x.Feature))}): {g.Key}"));
        foreach (var group in rows.GroupBy(r => r.Endpoint))
        {
            if (!group.Any(r => r.Rel == Rel.Anonymous)) problems.Add($"no Anonymous row: {group.Key}");
            // Open endpoints (only Anonymous rows) are allowed to the anonymous by definition; what they answer depends on the input.
            if (!group.Any(r => r.Status < 400) && group.Any(r => r.Rel != Rel.Anonymous)) problems.Add($"no row that is allowed: {group.Key}");
        }
        problems.AddRange(rows.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => $"duplicate row: {g.Key}"));

        var gateway = factory.Services.GetRequiredService<Gateway>().MethodNames.ToHashSet();
        var gatewayRows = GatewayMatrix.Rows.ToList();
        problems.AddRange(gateway.Where(m => gatewayRows.All(r => r.Method != m)).Order().Select(m => $"no gateway row: {m}"));
        problems.AddRange(gatewayRows.Select(r => r.Method).Distinct().Where(m => !gateway.Contains(m)).Select(m => $"stale gateway rows, no such method: {m}"));
        problems.AddRange(gatewayRows.Select(r => r.Method).Distinct().Where(m => !GatewayMatrix.Arrangements.ContainsKey(m)).Select(m => $"gateway rows without an arrangement: {m}"));
        foreach (var group in gatewayRows.GroupBy(r => r.Method))
        {
            var missing = Enum.GetValues<Caller>().Where(c => group.All(r => r.Caller != c)).ToList();
            if (missing.Count > 0) problems.Add($"gateway method {group.Key} has no row for {string.Join(", ", missing)}");
        }

        output.WriteLine($"{endpoints.Count} endpoints (method, pattern), {rows.Count} rows; {gateway.Count} gateway methods, {gatewayRows.Count} gateway rows");
        Assert.True(problems.Count == 0, $"{problems.Count} problem(s) with the authorization matrix:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task MatrixRowsHold()
    {
        var clock = Stopwatch.StartNew();
        var world = await MatrixWorld.CreateAsync(factory);
        output.WriteLine($"accounts ready in {clock.Elapsed.TotalSeconds:F1} s");
        var failures = new ConcurrentBag<(string Feature, string Line)>();
        var work = Matrix.Features.SelectMany(f => f.Rows.Select(r => (f.Feature, Run: (Func<Task<string?>>)(() => RunAsync(world, r)))))
            .Concat(GatewayMatrix.Rows.Select(r => (Feature: "Gateway", Run: (Func<Task<string?>>)(() => RunAsync(world, r)))))
            .ToList();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (item, _) =>
        {
            string? failure;
            try
            {
                failure = await item.Run();
            }
            catch (Exception e)
            {
                failure = $"threw {e.GetType().Name}: {Matrix.Clip(e.Message, 400)}";
            }
            if (failure is not null)
            {
                failures.Add((item.Feature, failure));
            }
        });
        output.WriteLine($"{work.Count} rows in {clock.Elapsed.TotalSeconds:F1} s, {failures.Count} failed");
        var report = string.Join("\n", failures.GroupBy(f => f.Feature).OrderBy(g => g.Key)
            .Select(g => $"-- {g.Key}\n" + string.Join("\n", g.Select(f => f.Line).Order())));
        Assert.True(failures.IsEmpty, $"{failures.Count} of {work.Count} matrix rows do not hold:\n{report}");
    }

    private static async Task<string?> RunAsync(MatrixWorld world, Row row)
    {
        var arrange = Matrix.ArrangementFor(row.Endpoint) ?? throw new InvalidOperationException("no arrangement");
        Call call;
        try
        {
            call = await arrange(new RowContext(world, row));
        }
        catch (Exception e)
        {
            return $"{row}: arranging failed: {e.GetType().Name}: {Matrix.Clip(e.Message, 400)}";
        }
        var client = call.Client
            ?? (row.Case == Matrix.WithoutRequestedWith
                ? (row.Rel == Rel.Owner ? world.OwnerWithoutRequestedWith : throw new InvalidOperationException("only the owner has a client without the header"))
                : world.ClientFor(row.Rel));
        using var request = new HttpRequestMessage(new HttpMethod(row.Method == "*" ? "GET" : row.Method), call.Url) { Content = call.Body };
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != row.Status)
        {
            var location = response.Headers.Location is { } l ? $" → {l}" : "";
            return $"{row}: got {(int)response.StatusCode}{location} {Matrix.Clip(Matrix.Detail(body) ?? body, 200)}";
        }
        try
        {
            return call.Check?.Invoke(response, body) is { } problem ? $"{row}: {problem}" : null;
        }
        catch (Exception e)
        {
            return $"{row}: checking the answer threw {e.GetType().Name}: {Matrix.Clip(e.Message)} — {Matrix.Clip(body, 200)}";
        }
    }

    private static async Task<string?> RunAsync(MatrixWorld world, GatewayRow row)
    {
        GatewayCall call;
        try
        {
            call = await GatewayMatrix.Arrangements[row.Method](new GatewayRowContext(world, row));
        }
        catch (Exception e)
        {
            return $"{row}: arranging failed: {e.GetType().Name}: {Matrix.Clip(e.Message, 400)}";
        }
        string? code, subCode, raw;
        if (row.Caller == Caller.Unsigned)
        {
            using var signer = world.Gateway(call.MerchantApp);
            var parameters = signer.BuildSignedParameters(row.Method, call.Biz, call.Token, extra: call.Extra).Where(p => p.Key != "sign").ToList();
            using var http = world.F.CreateClient();
            using var response = await http.PostAsync("/gateway.do", new FormUrlEncodedContent(parameters));
            raw = await response.Content.ReadAsStringAsync();
            using var doc = JsonDocument.Parse(raw);
            var node = doc.RootElement.GetProperty(row.Method.Replace('.', '_') + "_response");
            code = node.GetProperty("code").GetString();
            subCode = node.TryGetProperty("sub_code", out var s) ? s.GetString() : null;
        }
        else
        {
            var (app, appId, token) = row.Caller switch
            {
                Caller.OnBehalf => (call.ThirdParty ?? throw new InvalidOperationException("on behalf without a third-party app"), null, call.Token),
                Caller.UnknownApp => (call.MerchantApp, "2099" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999), null),
                _ => (call.MerchantApp, (string?)null, (string?)null),
            };
            using var client = world.Gateway(app, appId);
            var answer = await client.ExecuteAsync(row.Method, call.Biz, token, files: call.Files, extra: call.Extra);
            (code, subCode, raw) = (answer.Code, answer.SubCode, answer.RawBody);
        }
        return code == row.Code && (row.SubCode ?? null) == subCode
            ? null
            : $"{row}: got {code}{(subCode is null ? "" : " " + subCode)} {Matrix.Clip(raw, 250)}";
    }
}

public sealed class SqliteAuthorizationMatrixTests(SqliteFactory f, ITestOutputHelper output)
    : AuthorizationMatrixTests(f, output), IClassFixture<SqliteFactory>;

public sealed class PostgresAuthorizationMatrixTests(PostgresFactory f, ITestOutputHelper output)
    : AuthorizationMatrixTests(f, output), IClassFixture<PostgresFactory>;
