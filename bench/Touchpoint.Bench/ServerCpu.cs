using System.Globalization;

namespace Touchpoint.Bench;

/// <summary>
/// CPU seconds a process has used (user + system, from /proc/{pid}/stat). Ratios taken from CPU time hold on a shared
/// machine where wall-clock throughput swings with whatever else runs: what one call costs the server does not.
/// </summary>
internal static class ServerCpu
{
    private const double TicksPerSecond = 100; // CLK_TCK on Linux

    public static double Seconds(int pid) => UserAndSystem(pid).User + UserAndSystem(pid).System;

    public static (double User, double System) UserAndSystem(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may hold spaces) start at the closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name and state.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) / TicksPerSecond, long.Parse(fields[12], CultureInfo.InvariantCulture) / TicksPerSecond);
    }

    /// <summary>
    /// One RSA-2048 sign plus one verify on one core, in CPU seconds: `openssl speed` divides by CPU user time unless told
    /// otherwise, so its figures are per CPU second whatever else shares the machine.
    /// </summary>
    public static double OpenSslSignVerifySeconds()
    {
        var output = BenchArgs.Run("openssl", "speed -seconds 3 rsa2048");
        var match = System.Text.RegularExpressions.Regex.Match(output, @"rsa\s+2048 bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+([\d.]+)");
        if (!match.Success)
        {
            throw new InvalidOperationException("Could not read `openssl speed` output:\n" + output);
        }
        return 1 / double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) + 1 / double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    public static (double Median, double Low, double High) Spread(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[sorted.Count / 2], sorted[0], sorted[^1]);
    }
}
