using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;
using Touchpoint.Core.Accounts;
using Touchpoint.Device;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Posters;

namespace Touchpoint.Bench;

/// <summary>
/// A poster placed on N connected agents through the console API (issue 13's target: all on air within 15 s): the time
/// until every agent runs a schedule that lists it with its image fetched and checked, the time until the platform has
/// every device's report of it, and the server's CPU seconds for the placement. One round per merchant slot (three),
/// each a fresh poster on every device; median and spread over the rounds.
/// </summary>
public static class PosterFleetBench
{
    private const string Password = "Bench#Poster2026";

    public static async Task RunAsync(string[] args)
    {
        var count = Int(args, "--agents", 10_000);
        var folder = Directory.CreateTempSubdirectory("touchpoint-poster-bench-").FullName;
        var (httpPort, mqttPort) = (BenchServer.FreePort(), BenchServer.FreePort());
        var baseUrl = $"http://127.0.0.1:{httpPort}";
        var connection = $"Data Source={Path.Combine(folder, "touchpoint.db")}";
        Console.WriteLine($"Touchpoint poster placement benchmark: {count:N0} connected agents, SQLite, {Environment.ProcessorCount} cores, target < 15 s to all on air");
        using var server = BenchServer.Start(folder, baseUrl, new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Sqlite",
            ["Storage__ConnectionString"] = connection,
            ["DeviceChannel__Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["DeviceChannel__BindAddress"] = "127.0.0.1",
            ["Distribution__ArtifactPath"] = Path.Combine(folder, "artifacts"),
            ["Distribution__DownloadBaseUrl"] = baseUrl,
            ["Logging__LogLevel__Touchpoint.Server.Posters.PosterPlacements"] = "Information", // the placement's phases
        });
        var agents = new List<DeviceAgent>();
        using var stop = new CancellationTokenSource();
        try
        {
            await BenchServer.WaitHealthyAsync(baseUrl);
            var dbOptions = new DbContextOptionsBuilder<SqliteTouchpointDb>().UseSqlite(connection).Options;
            var identities = await DeviceChannelBench.SeedAsync(() => new SqliteTouchpointDb(dbOptions), count);
            await using (var db = new SqliteTouchpointDb(dbOptions))
            {
                var owner = await db.Accounts.SingleAsync(a => a.LoginName == "bench-owner");
                owner.PasswordHash = new PasswordHasher<Account>().HashPassword(owner, Password);
                await db.SaveChangesAsync();
                await db.Devices.ExecuteUpdateAsync(u => u.SetProperty(d => d.PosterAdminMode, true));
            }
            var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromMinutes(5) };
            var options = new AgentOptions
            {
                Host = "127.0.0.1", Port = mqttPort, Heartbeat = TimeSpan.FromSeconds(30), MaxBackoff = TimeSpan.FromSeconds(5), Http = http, StoreDownloads = false,
            };
            agents.AddRange(identities.Select(i => new DeviceAgent(i, options)));
            var runs = agents.Select(a => Task.Run(() => a.RunAsync(stop.Token))).ToList();
            var connecting = Stopwatch.StartNew();
            while (agents.Count(a => a.IsConnected) < count)
            {
                if (connecting.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException("agents did not connect");
                await Task.Delay(200);
            }
            await Task.Delay(5000); // connect reports written, the first screen reports answered
            var console = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
            (await console.PostAsJsonAsync("/api/auth/login", new { loginName = "bench-owner", password = Password })).EnsureSuccessStatusCode();
            console.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
            var sns = identities.Select(i => i.Sn).ToList();

            Console.WriteLine($"  {"round",5} {"poster",11} {"place request s",16} {"agents on air s",16} {"platform has reports s",23} {"server CPU s",13}");
            var onAir = new List<double>();
            var known = new List<double>();
            var cpus = new List<double>();
            for (var round = 1; round <= 3; round++)
            {
                using var form = new MultipartFormDataContent { { new StringContent($"压测海报{round}"), "name" } };
                var bytes = Image(round);
                var image = new ByteArrayContent(bytes);
                image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                form.Add(image, "file", "poster.jpg");
                var upload = await console.PostAsync("/api/posters", form);
                upload.EnsureSuccessStatusCode();
                var poster = (await upload.Content.ReadFromJsonAsync<PosterView>(Json))!;
                var cpuBefore = ServerCpu.Seconds(server.Id);
                var clock = Stopwatch.StartNew();
                var placed = await console.PostAsJsonAsync("/api/posters/placements", new PlacementRequest(poster.Id, sns, null, null, round), Json);
                if (!placed.IsSuccessStatusCode) throw new InvalidOperationException(await placed.Content.ReadAsStringAsync());
                var requestSeconds = clock.Elapsed.TotalSeconds;
                double? allOnAir = null, platform = null;
                while ((allOnAir is null || platform is null) && clock.Elapsed < TimeSpan.FromMinutes(3))
                {
                    await Task.Delay(100);
                    if (allOnAir is null && agents.All(a => a.Holds(poster.Id)))
                    {
                        allOnAir = clock.Elapsed.TotalSeconds;
                    }
                    if (platform is null && clock.Elapsed.TotalMilliseconds % 1000 < 120)
                    {
                        await using var db = new SqliteTouchpointDb(dbOptions);
                        if (await db.Devices.CountAsync(d => d.ScreenRevision == d.PosterRevision) >= count)
                        {
                            platform = clock.Elapsed.TotalSeconds;
                        }
                    }
                }
                var cpu = ServerCpu.Seconds(server.Id) - cpuBefore;
                Console.WriteLine($"  {round,5} {bytes.Length / 1024,8:N0} KB {requestSeconds,16:N2} {allOnAir,16:N2} {platform,23:N2} {cpu,13:N2}");
                onAir.Add(allOnAir ?? double.NaN);
                known.Add(platform ?? double.NaN);
                cpus.Add(cpu);
            }
            var (m, lo, hi) = ServerCpu.Spread(onAir);
            var (km, klo, khi) = ServerCpu.Spread(known);
            var (cm, clo, chi) = ServerCpu.Spread(cpus);
            Console.WriteLine($"  all {count:N0} agents on air: median {m:N2} s ({lo:N2}–{hi:N2}), {m / 15:P0} of the 15 s limit; platform has every report of the new schedule: {km:N2} s ({klo:N2}–{khi:N2}); server CPU {cm:N2} s ({clo:N2}–{chi:N2})");
            stop.Cancel();
            await Task.WhenAll(runs);
        }
        finally
        {
            stop.Cancel();
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>
    /// A 1080×1920 portrait poster as terminals show them: a JPEG at quality 85 with photo-like detail (a gradient under
    /// random shapes), a few hundred KB like a designer's export.
    /// </summary>
    internal static byte[] Image(int round)
    {
        using var bitmap = new SKBitmap(1080, 1920);
        var random = new Random(round);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { IsAntialias = true })
        {
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(1080, 1920),
                [new SKColor((byte)(60 * round), 120, 220), new SKColor(250, (byte)(80 * round), 90)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, 1080, 1920, paint);
            paint.Shader = null;
            for (var i = 0; i < 4000; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(40, 200));
                canvas.DrawCircle(random.Next(1080), random.Next(1920), random.Next(2, 40), paint);
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 85);
        return jpeg.ToArray();
    }

    private static int Int(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
