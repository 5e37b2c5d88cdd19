using System.Diagnostics;
using Touchpoint.Core.Posters;

namespace Touchpoint.Bench;

/// <summary>
/// Poster schedules (issue 13): the slot check of one placement against a fleet, and what is on air on every device,
/// each over 100,000 devices with three merchant and three official placements and a mix of zones. Pure rule code, so
/// the figure is process CPU per device, repeated and reported as median and spread.
/// </summary>
public static class ScheduleBench
{
    public static void Run(string[] args)
    {
        var devices = BenchArgs.Int(args, "--devices", 100_000);
        var rounds = BenchArgs.Int(args, "--rounds", 5);
        Console.WriteLine($"Touchpoint poster-schedule benchmark: {devices:N0} devices × 6 placements, {rounds} rounds, {Environment.ProcessorCount} cores");
        var start = new DateTime(2026, 12, 24);
        var zones = new[] { "Asia/Shanghai", "Asia/Urumqi", "America/New_York", "Europe/Berlin" }.Select(PosterRotation.Zone).ToArray();
        var fleet = new Dictionary<long, IReadOnlyList<PosterPlacement>>(devices);
        for (long d = 1; d <= devices; d++)
        {
            fleet[d] =
            [
                new(d * 10 + 1, PosterKind.Merchant, new PosterWindow(start, start.AddDays(3)), 1, "m"),
                new(d * 10 + 2, PosterKind.Merchant, new PosterWindow(start.AddHours(8), start.AddHours(20)), 2, "m"),
                new(d * 10 + 3, PosterKind.Merchant, new PosterWindow(start.AddDays(d % 2), null), 3, "m"),
                new(d * 10 + 4, PosterKind.Official, PosterWindow.Always, 1, "p"),
                new(d * 10 + 5, PosterKind.Official, PosterWindow.Always, 2, "p"),
                new(d * 10 + 6, PosterKind.Official, new PosterWindow(start, start.AddDays(7)), 3, "p"),
            ];
        }
        var check = new List<double>();
        var onAir = new List<double>();
        var now = new DateTime(2026, 12, 24, 6, 0, 0, DateTimeKind.Utc);
        for (var round = 0; round <= rounds; round++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var conflicts = PosterSlots.Conflicts(fleet, PosterKind.Merchant, new PosterWindow(start.AddHours(12), start.AddHours(13)));
            var checkCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var shown = 0;
            foreach (var (id, placements) in fleet)
            {
                if (PosterRotation.At(placements, now, zones[id % zones.Length]) is not null)
                {
                    shown++;
                }
            }
            var airCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            if (round == 0)
            {
                continue; // JIT
            }
            check.Add(checkCpu);
            onAir.Add(airCpu);
            Console.WriteLine($"  round {round}: slot check {checkCpu * 1000:F0} CPU ms ({conflicts.Count:N0} full devices), on-air {airCpu * 1000:F0} CPU ms ({shown:N0} showing)");
        }
        var (cm, cl, ch) = ServerCpu.Spread(check);
        var (am, al, ah) = ServerCpu.Spread(onAir);
        Console.WriteLine($"  slot check for {devices:N0} devices: median {cm * 1000:F0} CPU ms (spread {cl * 1000:F0}–{ch * 1000:F0}), {cm / devices * 1e6:F2} µs a device");
        Console.WriteLine($"  on air on {devices:N0} devices: median {am * 1000:F0} CPU ms (spread {al * 1000:F0}–{ah * 1000:F0}), {am / devices * 1e6:F2} µs a device");
    }
}
