using System.Text.Json;
using Touchpoint.Core.Distribution;
using Touchpoint.Device;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Distribution;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>kill -9 of the server while terminals download: the task completes, each device ran its job once, nothing was sent twice.</summary>
public sealed class DistributionRestartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("touchpoint-kill-dist-").FullName;

    [Fact]
    public async Task ServerKilledMidDownloadLosesNoStateAndSendsNothingTwice()
    {
        var mqttPort = FreePorts.Next();
        var settings = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(_folder, "touchpoint.db")}",
            ["Demo:Seed"] = "true",
            ["Demo:SandboxDirectory"] = Path.Combine(_folder, "demo"),
            ["DeviceChannel:Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DeviceChannel:BindAddress"] = "127.0.0.1",
            ["DeviceChannel:FlushSeconds"] = "0.1",
            ["Distribution:TickSeconds"] = "0.2",
            ["Distribution:ResendSeconds"] = "2",
            ["Distribution:ArtifactPath"] = Path.Combine(_folder, "artifacts"),
        };
        List<JsonElement> agentsFile;
        JsonElement sandbox;
        await using (await ServerProcess.StartAsync(_folder, settings))
        {
            agentsFile = JsonSerializer.Deserialize<List<JsonElement>>(await File.ReadAllTextAsync(Path.Combine(_folder, "demo", DemoAgents.FileName)))!;
            sandbox = JsonSerializer.Deserialize<JsonElement>(await File.ReadAllTextAsync(Path.Combine(_folder, "demo", DemoSandbox.MerchantFile)));
        }
        var posAppId = sandbox.GetProperty("distribution_app_ids")[0].GetString()!;
        using var stop = new CancellationTokenSource();
        // Slow terminals: 3 MB at 512 KB/s, so the kill lands in the middle of the downloads.
        var agents = agentsFile.Take(3).Select(a => new DeviceAgent(new AgentIdentity(a.GetProperty("sn").GetString()!, a.GetProperty("private_key").GetString()!),
            new AgentOptions
            {
                Host = "127.0.0.1", Port = mqttPort, Heartbeat = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(1),
                DownloadBytesPerSecond = 512 * 1024, InstallDelay = TimeSpan.FromMilliseconds(50), StateFolder = Path.Combine(_folder, "agents"),
            })).ToList();
        var sns = agents.Select(a => a.Sn).ToList();

        long taskId;
        var runs = new List<Task>();
        await using (var first = await ServerProcess.StartAsync(_folder, settings))
        {
            runs.AddRange(agents.Select(a => a.RunAsync(stop.Token)));
            var owner = await first.LoginAsync(DemoAccounts.Merchant);
            foreach (var sn in sns)
            {
                await WaitAsync(async () => (await owner.GetAsync<JsonElement>($"/api/devices/{sn}")).GetProperty("apps").EnumerateArray()
                    .Any(a => a.GetProperty("packageName").GetString() == DemoCatalogue.PosPackage && a.GetProperty("versionCode").GetInt64() == 120), $"{sn} reports 1.2.0");
            }
            var task = await owner.PostAsync<DistributionTaskView>("/api/distribution/tasks", new CreateTaskRequest(
                new NewDistributionTask(null, DistributionAction.Upgrade, [new TaskItemRequest(posAppId, 200)], new DeviceSelection(sns)), Start: true));
            taskId = task.Id;
            Assert.True(task.Count(TargetState.Pending) > 0);
            await WaitAsync(async () => (await owner.GetAsync<List<TargetRow>>($"/api/distribution/tasks/{taskId}/targets"))
                .Any(t => t.State == TargetState.Downloading && t.Progress > 0), "a download under way");
            first.Kill();
        }

        await using var second = await ServerProcess.StartAsync(_folder, settings);
        var client = await second.LoginAsync(DemoAccounts.Merchant);
        DistributionTaskView done = default!;
        await WaitAsync(async () => (done = await client.GetAsync<DistributionTaskView>($"/api/distribution/tasks/{taskId}")).Status == DistributionStatus.Completed,
            "the task completes after the restart", seconds: 120);
        var targets = await client.GetAsync<List<TargetRow>>($"/api/distribution/tasks/{taskId}/targets");
        var eligible = targets.Where(t => t.State != TargetState.Skipped).ToList();
        Assert.NotEmpty(eligible);
        Assert.All(eligible, t => Assert.Equal((TargetState.Succeeded, 1, "2.0.0"), (t.State, t.Attempt, t.ReportedVersion)));
        // One job per device, run once: the restart neither lost it nor sent it as a new attempt.
        Assert.All(agents.Where(a => eligible.Any(t => t.Sn == a.Sn)), a => Assert.Equal(1, a.JobsRun));
        stop.Cancel();
        await Task.WhenAll(runs);
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, $"not reached: {what}");
            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
