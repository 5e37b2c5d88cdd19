using System.Diagnostics;
using System.Text.Json;

namespace Touchpoint.Server.Tests.Infrastructure;

/// <summary>
/// Runs node/client.mjs: the official alipay-sdk npm package, pinned in node/package-lock.json, as a real client.
/// The test command installs it (npm ci); a missing install fails loudly instead of skipping.
/// </summary>
public static class NodeAlipaySdk
{
    private static readonly Lazy<string> Folder = new(FindFolder);

    public static async Task<JsonElement> RunAsync(object command)
    {
        var start = new ProcessStartInfo("node", ["client.mjs"])
        {
            WorkingDirectory = Folder.Value,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The SDK stamps requests with the machine's local time; merchants' servers run on China time.
        start.Environment["TZ"] = "Asia/Shanghai";
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(command));
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(output.Length > 0, $"node produced no output: {error}");
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement.Clone();
        Assert.True(root.GetProperty("ok").GetBoolean(), $"alipay-sdk threw: {output}");
        return root;
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Touchpoint.Server.Tests", "node");
            if (File.Exists(Path.Combine(candidate, "client.mjs")))
            {
                if (!Directory.Exists(Path.Combine(candidate, "node_modules", "alipay-sdk")))
                {
                    throw new InvalidOperationException($"alipay-sdk is not installed: run `npm ci` in {candidate} (./test.sh does).");
                }
                return candidate;
            }
        }
        throw new InvalidOperationException("tests/Touchpoint.Server.Tests/node not found above " + AppContext.BaseDirectory);
    }
}
