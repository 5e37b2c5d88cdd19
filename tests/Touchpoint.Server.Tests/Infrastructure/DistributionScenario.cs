using System.Net;
using System.Net.Http.Headers;
using Touchpoint.Core.Distribution;
using Touchpoint.Device;
using Touchpoint.Server.Distribution;
using Touchpoint.Tests.Apk;

namespace Touchpoint.Server.Tests.Infrastructure;

/// <summary>Publishing real signed APKs and running tasks through the public API.</summary>
public static class DistributionScenario
{
    public static async Task<CatalogueAppView> NewAppAsync(this TestAccount owner, CatalogueKind kind = CatalogueKind.PartnerApp, string name = "测试收银台")
    {
        return await owner.Client.PostAsync<CatalogueAppView>("/api/distribution/apps", new NewCatalogueApp(name, kind));
    }

    /// <summary>Uploads a freshly built and signed APK; the raw response, for tests that expect a refusal.</summary>
    public static async Task<HttpResponseMessage> UploadApkAsync(this TestAccount owner, string appId, string package, long versionCode, string versionName,
        int minSdk = 21, string key = "dev", int payloadBytes = 4096)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tp-{Guid.NewGuid():N}.apk");
        TestApk.Build(path, package, versionCode, versionName, minSdk, payloadBytes, key);
        try
        {
            return await owner.UploadFileAsync(appId, await File.ReadAllBytesAsync(path), "app.apk", "版本说明");
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static async Task<HttpResponseMessage> UploadFileAsync(this TestAccount owner, string appId, byte[] bytes, string fileName, string? notes = null,
        string? versionName = null, long? versionCode = null, string? osVersion = null)
    {
        using var form = new MultipartFormDataContent();
        if (notes is not null) form.Add(new StringContent(notes), "releaseNotes");
        if (versionName is not null) form.Add(new StringContent(versionName), "versionName");
        if (versionCode is not null) form.Add(new StringContent(versionCode.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), "versionCode");
        if (osVersion is not null) form.Add(new StringContent(osVersion), "osVersion");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.android.package-archive");
        form.Add(file, "file", fileName);
        return await owner.Client.PostAsync($"/api/distribution/apps/{appId}/versions", form);
    }

    public static async Task<AppVersionView> PublishApkAsync(this TestAccount owner, string appId, string package, long versionCode, string versionName,
        int minSdk = 21, int payloadBytes = 4096) =>
        await (await owner.UploadApkAsync(appId, package, versionCode, versionName, minSdk, payloadBytes: payloadBytes)).ReadAsync<AppVersionView>();

    public static Task<DistributionTaskView> CreateTaskAsync(this TestAccount owner, DistributionAction action, string? appId, long? versionCode,
        IReadOnlyList<string> sns, RolloutPolicy? policy = null, bool start = true) =>
        owner.Client.PostAsync<DistributionTaskView>("/api/distribution/tasks", new CreateTaskRequest(
            new NewDistributionTask(null, action, appId is null ? [] : [new TaskItemRequest(appId, versionCode)], new DeviceSelection(sns), policy), start));

    public static async Task<DistributionTaskView> WaitForTaskAsync(this TestAccount owner, long taskId, Func<DistributionTaskView, bool> condition,
        int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var task = await owner.Client.GetAsync<DistributionTaskView>($"/api/distribution/tasks/{taskId}");
            if (condition(task))
            {
                return task;
            }
            if (DateTime.UtcNow > deadline)
            {
                var targets = await owner.Client.GetAsync<List<TargetRow>>($"/api/distribution/tasks/{taskId}/targets?pageSize=200");
                Assert.Fail($"task {taskId} never reached the expected state: {task.StatusName} {task.StatusReason} " +
                    string.Join("; ", targets.Select(t => $"{t.Sn} {t.StateName} {t.Reason} {t.Message}")));
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Agents for the devices (keys issued by the owner), running until <paramref name="stop"/>; downloads go through the test host.</summary>
    public static async Task<(List<DeviceAgent> Agents, List<Task> Runs)> StartAgentsAsync(this TouchpointFactory factory, TestAccount owner,
        IEnumerable<string> sns, CancellationToken stop, double failInstall = 0)
    {
        var agents = new List<DeviceAgent>();
        foreach (var sn in sns)
        {
            var credential = await owner.Client.PostAsync<Touchpoint.Server.DeviceChannel.IssuedCredential>($"/api/devices/{sn}/credential", new { });
            agents.Add(new DeviceAgent(new AgentIdentity(sn, credential.PrivateKeyPem), AgentOptions(factory, failInstall)));
        }
        var runs = agents.Select(a => a.RunAsync(stop)).ToList();
        foreach (var agent in agents)
        {
            await owner.WaitOnlineAsync(agent.Sn);
            await owner.WaitReportedAsync(agent.Sn);
        }
        return (agents, runs);
    }

    /// <summary>Agent options whose downloads go through the test host (or its loopback port, when it runs on Kestrel).</summary>
    public static AgentOptions AgentOptions(TouchpointFactory factory, double failInstall = 0, double dropDownloads = 0) =>
        DeviceChannelScenario.Options(factory) with
        {
            Http = factory.ClientOptions.BaseAddress.IsDefaultPort
                ? new HttpClient(factory.Server.CreateHandler()) { BaseAddress = new Uri("http://localhost") }
                : new HttpClient { BaseAddress = factory.ClientOptions.BaseAddress },
            FailInstallRate = failInstall, DropDownloadRate = dropDownloads, InstallDelay = TimeSpan.FromMilliseconds(20),
            DownloadFolder = Path.Combine(factory.Folder, "agent-downloads"),
        };

    /// <summary>Waits until the registry shows the device online (its agent connected and reported).</summary>
    public static async Task WaitOnlineAsync(this TestAccount owner, string sn)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await owner.Client.GetAsync<System.Text.Json.JsonElement>($"/api/devices/{sn}")).GetProperty("row").GetProperty("isOnline").GetBoolean())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{sn} never came online");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the registry holds the device's own app list (every agent lists its system build).</summary>
    public static async Task WaitReportedAsync(this TestAccount owner, string sn)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await owner.Client.GetAsync<System.Text.Json.JsonElement>($"/api/devices/{sn}")).GetProperty("apps").EnumerateArray()
            .Any(a => a.GetProperty("packageName").GetString() == Touchpoint.Core.Distribution.CatalogueNames.SystemPackage))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{sn} never reported its apps");
            await Task.Delay(100);
        }
    }

    public static async Task<HttpStatusCode> StatusAsync(this HttpClient client, string url) => (await client.GetAsync(url)).StatusCode;
}
