using System.Net;
using System.Text.Json;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Distribution;
using Touchpoint.Core.Grants;
using Touchpoint.Device;
using Touchpoint.Server.Distribution;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>The catalogue's refusals and tasks that real agents execute, on SQLite and PostgreSQL.</summary>
public abstract class DistributionTests(TouchpointFactory factory)
{
    private static string Package() => "com.touchpoint.t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task PublishingReadsTheApkAndRefusesWhatADeviceWouldRefuseAsAnUpgrade()
    {
        var owner = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var app = await owner.NewAppAsync();
        var package = Package();
        var v1 = await owner.PublishApkAsync(app.AppId, package, 10, "1.0.0", minSdk: 24);
        Assert.Equal((10L, "1.0.0", 24), (v1.VersionCode, v1.VersionName, v1.MinSdk));
        Assert.Equal(Touchpoint.Tests.Apk.TestApk.CertificateSha256("dev"), v1.CertificateSha256);
        var read = await owner.Client.GetAsync<CatalogueAppView>($"/api/distribution/apps/{app.AppId}");
        Assert.Equal(package, read.PackageName);

        Assert.Contains("versionCode 必须递增", await (await owner.UploadApkAsync(app.AppId, package, 10, "1.0.0")).ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("versionCode 必须递增", await (await owner.UploadApkAsync(app.AppId, package, 9, "0.9")).ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("包名不一致", await (await owner.UploadApkAsync(app.AppId, Package(), 11, "1.1")).ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("签名证书与已发布版本不一致", await (await owner.UploadApkAsync(app.AppId, package, 11, "1.1", key: "other")).ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("不是有效的 APK", await (await owner.UploadFileAsync(app.AppId, "not an apk"u8.ToArray(), "x.apk")).ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("ZIP", await (await owner.UploadFileAsync(app.AppId, new byte[4096], "x.apk")).ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.OK, (await owner.UploadApkAsync(app.AppId, package, 11, "1.1")).StatusCode);

        // Nobody else uploads to it, and a closed app is not found by others.
        var other = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        Assert.Equal(HttpStatusCode.NotFound, await other.Client.StatusAsync($"/api/distribution/apps/{app.AppId}"));
        Assert.Empty(await other.Client.GetAsync<List<CatalogueAppView>>($"/api/distribution/apps/search?appId={app.AppId}"));
        await owner.Client.PostAsync<CatalogueAppView>($"/api/distribution/apps/{app.AppId}/open", new OpenRequest(true));
        var found = Assert.Single(await other.Client.GetAsync<List<CatalogueAppView>>($"/api/distribution/apps/search?appId={app.AppId}"));
        Assert.False(found.IsFavorite);
        (await other.Client.PutAsync($"/api/distribution/apps/{app.AppId}/favorite", null)).EnsureSuccessStatusCode();
        Assert.Contains(await other.Client.GetAsync<List<CatalogueAppView>>("/api/distribution/apps"), a => a.AppId == app.AppId && a.IsFavorite);
    }

    [Fact]
    public async Task AgentsReallyInstallThenUpgradeAndIneligibleDevicesAreSkippedWithTheReason()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 3);
        var app = await owner.NewAppAsync();
        var package = Package();
        await owner.PublishApkAsync(app.AppId, package, 10, "1.0.0", payloadBytes: 300_000);
        using var stop = new CancellationTokenSource();
        var agents = new List<DeviceAgent>();
        foreach (var sn in sns[..2])
        {
            var credential = await owner.Client.PostAsync<Touchpoint.Server.DeviceChannel.IssuedCredential>($"/api/devices/{sn}/credential", new { });
            // Every download drops once at half way and must resume with a range request.
            agents.Add(new DeviceAgent(new AgentIdentity(sn, credential.PrivateKeyPem), DistributionScenario.AgentOptions(factory, dropDownloads: 1)));
        }
        var runs = agents.Select(a => a.RunAsync(stop.Token)).ToList();
        foreach (var sn in sns[..2])
        {
            await DeviceChannelScenario.WaitForAsync(owner, sn, r => r.IsOnline);
        }

        var install = await owner.CreateTaskAsync(DistributionAction.Install, app.AppId, 10, sns[..2]);
        var done = await owner.WaitForTaskAsync(install.Id, t => t.Status == DistributionStatus.Completed);
        Assert.Equal(2, done.Count(TargetState.Succeeded));

        var v2 = await owner.PublishApkAsync(app.AppId, package, 20, "2.0.0", payloadBytes: 300_000);
        var upgrade = await owner.CreateTaskAsync(DistributionAction.Upgrade, app.AppId, v2.VersionCode, sns);
        Assert.Equal(1, upgrade.Count(TargetState.Skipped));
        Assert.Equal(SkipReason.NotInstalled, Assert.Single(upgrade.Skipped).Reason);
        var upgraded = await owner.WaitForTaskAsync(upgrade.Id, t => t.Status == DistributionStatus.Completed);
        Assert.Equal((2, 1), (upgraded.Count(TargetState.Succeeded), upgraded.Count(TargetState.Skipped)));

        // Success is what the device lists: the device detail shows the new version.
        var detail = await owner.Client.GetAsync<JsonElement>($"/api/devices/{sns[0]}");
        var listed = detail.GetProperty("apps").EnumerateArray().Single(a => a.GetProperty("packageName").GetString() == package);
        Assert.Equal(("2.0.0", 20L), (listed.GetProperty("version").GetString(), listed.GetProperty("versionCode").GetInt64()));
        var targets = await owner.Client.GetAsync<List<TargetRow>>($"/api/distribution/tasks/{upgrade.Id}/targets?state=Succeeded");
        Assert.All(targets, t => Assert.Equal(("1.0.0", "2.0.0"), (t.FromVersion, t.ReportedVersion)));
        var steps = await owner.Client.GetAsync<List<StepRow>>($"/api/distribution/tasks/{upgrade.Id}/targets/{targets[0].Id}/steps");
        Assert.Equal([TargetState.Sent, TargetState.Downloading, TargetState.Downloaded, TargetState.Installing, TargetState.Installing, TargetState.Succeeded],
            steps.Select(s => s.State));
        Assert.All(agents, a => Assert.Equal(2, a.JobsRun)); // one job per task, nothing ran twice

        var report = await owner.Client.GetAsync<TroubleshootReport>($"/api/distribution/troubleshoot?sn={sns[0]}&appId={app.AppId}");
        Assert.Equal("2.0.0", report.CurrentVersion);
        Assert.Equal(2, report.Tasks.Count);
        var skippedReport = await owner.Client.GetAsync<TroubleshootReport>($"/api/distribution/troubleshoot?sn={sns[2]}&appId={app.AppId}");
        Assert.Contains("设备未安装该应用", skippedReport.Summary);

        var csv = await owner.Client.GetStringAsync($"/api/distribution/tasks/{upgrade.Id}/export?format=Csv");
        Assert.Contains(sns[2], csv);
        Assert.Contains("设备未安装该应用", csv);
        stop.Cancel();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task AnInjectedFailureRateStopsTheTaskAtItsThreshold()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 6);
        var app = await owner.NewAppAsync();
        await owner.PublishApkAsync(app.AppId, Package(), 10, "1.0.0");
        using var stop = new CancellationTokenSource();
        var runs = new List<Task>();
        foreach (var sn in sns)
        {
            var credential = await owner.Client.PostAsync<Touchpoint.Server.DeviceChannel.IssuedCredential>($"/api/devices/{sn}/credential", new { });
            var agent = new DeviceAgent(new AgentIdentity(sn, credential.PrivateKeyPem), DistributionScenario.AgentOptions(factory, failInstall: 1));
            runs.Add(agent.RunAsync(stop.Token));
        }
        foreach (var sn in sns)
        {
            await DeviceChannelScenario.WaitForAsync(owner, sn, r => r.IsOnline);
        }
        var task = await owner.CreateTaskAsync(DistributionAction.Install, app.AppId, null, sns,
            new RolloutPolicy { FailureStopPercent = 50, FailureMinCount = 3, MaxRetries = 0, DevicesPerMinute = 4 });
        var stopped = await owner.WaitForTaskAsync(task.Id, t => t.Status == DistributionStatus.AutoPaused);
        Assert.Contains("自动暂停", stopped.StatusReason);
        Assert.True(stopped.Count(TargetState.Failed) >= 3);
        Assert.True(stopped.Count(TargetState.Pending) >= 2, "the rate kept devices back and the stop kept them there");
        var failed = await owner.Client.GetAsync<List<TargetRow>>($"/api/distribution/tasks/{task.Id}/targets?reason=install_failed");
        Assert.All(failed, t => Assert.Equal(FailureReason.InstallFailed, t.FailureReason));
        var report = await owner.Client.GetAsync<TroubleshootReport>($"/api/distribution/troubleshoot?sn={failed[0].Sn}&appId={app.AppId}");
        Assert.Contains("安装失败", report.Summary);
        stop.Cancel();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task AGranteeWithoutAppDistributionIsRefusedAndOneWithItMayDistribute()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sn = (await factory.OnboardAsync(owner, 1))[0];
        var provider = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var app = await provider.NewAppAsync();
        await provider.PublishApkAsync(app.AppId, Package(), 10, "1.0.0");
        await owner.Client.PostAsync<object>("/api/grants", new Touchpoint.Server.Grants.NewGrant(provider.Id, null, [sn], GrantPermissions.Poster | GrantPermissions.RemoteManagement));
        var refused = await provider.Client.PostAsync("/api/distribution/tasks", System.Net.Http.Json.JsonContent.Create(new CreateTaskRequest(
            new NewDistributionTask(null, DistributionAction.Install, [new TaskItemRequest(app.AppId)], new DeviceSelection([sn]))), options: ApiClient.Json));
        Assert.Contains("应用分发", await refused.ProblemAsync(HttpStatusCode.Forbidden));
        Assert.Empty(await provider.Client.GetAsync<List<PickerRow>>($"/api/distribution/devices?action=Install&appId={app.AppId}"));

        await owner.Client.PostAsync<object>("/api/grants", new Touchpoint.Server.Grants.NewGrant(provider.Id, null, [sn], GrantPermissions.AppDistribution));
        var picker = Assert.Single(await provider.Client.GetAsync<List<PickerRow>>($"/api/distribution/devices?action=Install&appId={app.AppId}"));
        Assert.True(picker.CanRun);
        var task = await provider.CreateTaskAsync(DistributionAction.Install, app.AppId, null, [sn], start: false);
        Assert.Equal(1, task.Count(TargetState.Pending));
        // The owner sees nothing of the provider's task unless it ran on its behalf; the operator only views.
        Assert.Equal(HttpStatusCode.NotFound, await owner.Client.StatusAsync($"/api/distribution/tasks/{task.Id}"));
        var op = await factory.OperatorAsync();
        Assert.Equal(HttpStatusCode.OK, await op.StatusAsync($"/api/distribution/tasks/{task.Id}"));
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsync($"/api/distribution/tasks/{task.Id}/start", null)).StatusCode);
    }

    [Fact]
    public async Task ASystemImageSucceedsOnlyOnceTheDeviceHasRebootedIntoIt()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 2);
        // The manufacturer publishes an image for its own model (onboarding named the model 刷脸设备) and opens it.
        var maker = new TestAccount(0, Touchpoint.Server.Demo.DemoAccounts.Manufacturer, "", await factory.LoginAsync(Touchpoint.Server.Demo.DemoAccounts.Manufacturer));
        var image = await maker.Client.PostAsync<CatalogueAppView>("/api/distribution/apps",
            new NewCatalogueApp("蜻蜓系统", CatalogueKind.SystemImage, Model: "刷脸设备"));
        Assert.Contains("升级后的安卓版本", await (await maker.UploadFileAsync(image.AppId, new byte[200_000], "ota.zip", versionName: "Android 12 (2026.12)", versionCode: 2))
            .ProblemAsync(HttpStatusCode.BadRequest));
        (await maker.UploadFileAsync(image.AppId, new byte[200_000], "ota.zip", versionName: "Android 12 (2026.12)", versionCode: 2, osVersion: "12"))
            .EnsureSuccessStatusCode();
        await maker.Client.PostAsync<CatalogueAppView>($"/api/distribution/apps/{image.AppId}/open", new OpenRequest(true));
        // Another model's devices would be skipped; these fit.
        using var stop = new CancellationTokenSource();
        var (agents, runs) = await factory.StartAgentsAsync(owner, sns, stop.Token);

        var task = await owner.CreateTaskAsync(DistributionAction.Upgrade, image.AppId, 2, sns);
        Assert.Equal(2, task.Count(TargetState.Pending));
        var done = await owner.WaitForTaskAsync(task.Id, t => t.Status == DistributionStatus.Completed);
        Assert.Equal(2, done.Count(TargetState.Succeeded));
        Assert.All(agents, a => Assert.Equal((2, "12"), (a.State.BootCount, a.State.AndroidVersion)));
        foreach (var sn in sns)
        {
            var detail = await owner.Client.GetAsync<JsonElement>($"/api/devices/{sn}");
            Assert.Equal("12", detail.GetProperty("row").GetProperty("androidVersion").GetString());
        }
        // The claim came before the reboot, the success only after it.
        var target = (await owner.Client.GetAsync<List<TargetRow>>($"/api/distribution/tasks/{task.Id}/targets"))[0];
        var steps = await owner.Client.GetAsync<List<StepRow>>($"/api/distribution/tasks/{task.Id}/targets/{target.Id}/steps");
        Assert.Equal(TargetState.Succeeded, steps[^1].State);
        Assert.Equal("设备报告安装完成", steps[^2].Message);
        stop.Cancel();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task AMiniProgramInstallsOnlyWhereXPaaSIsAndUninstallsAgain()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var registers = await factory.OnboardAsync(owner, 1, "收银机");   // IoT SDK + xPaaS
        var faces = await factory.OnboardAsync(owner, 1);                // IoT SDK + Smile, no xPaaS
        var mini = await owner.NewMiniProgramAsync();
        var app = await owner.Client.PostAsync<CatalogueAppView>("/api/distribution/apps",
            new NewCatalogueApp(null, CatalogueKind.MiniProgram, MiniProgramAppId: mini.AppId));
        Assert.Equal((mini.AppId, $"mini:{mini.AppId}"), (app.AppId, app.PackageName));
        (await owner.UploadFileAsync(app.AppId, new byte[50_000], "bundle.amr", versionName: "1.0.0", versionCode: 1)).EnsureSuccessStatusCode();
        using var stop = new CancellationTokenSource();
        var (_, runs) = await factory.StartAgentsAsync(owner, [.. registers, .. faces], stop.Token);

        var install = await owner.CreateTaskAsync(DistributionAction.Install, app.AppId, null, [.. registers, .. faces]);
        Assert.Equal(SkipReason.NoXPaaS, Assert.Single(install.Skipped).Reason);
        await owner.WaitForTaskAsync(install.Id, t => t.Status == DistributionStatus.Completed);
        Assert.Contains($"mini:{mini.AppId}", await AppsOfAsync(owner, registers[0]));

        // Uninstall: done when the device no longer lists it.
        var uninstall = await owner.CreateTaskAsync(DistributionAction.Uninstall, app.AppId, null, registers);
        var removed = await owner.WaitForTaskAsync(uninstall.Id, t => t.Status == DistributionStatus.Completed);
        Assert.Equal(1, removed.Count(TargetState.Succeeded));
        Assert.DoesNotContain($"mini:{mini.AppId}", await AppsOfAsync(owner, registers[0]));
        // A light app cannot be uninstalled yet, and says so.
        var light = await owner.NewAppAsync(CatalogueKind.LightApp, "测试轻应用");
        var refused = await owner.Client.PostAsync("/api/distribution/tasks", System.Net.Http.Json.JsonContent.Create(new CreateTaskRequest(
            new NewDistributionTask(null, DistributionAction.Uninstall, [new TaskItemRequest(light.AppId)], new DeviceSelection(faces))), options: ApiClient.Json));
        Assert.Contains("开发中", await refused.ProblemAsync(HttpStatusCode.BadRequest));
        stop.Cancel();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task BootStartIsSetOnAntOsDevicesAndConfirmedByTheAppList()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 1);
        var app = await owner.NewAppAsync();
        var package = Package();
        await owner.PublishApkAsync(app.AppId, package, 10, "1.0.0");
        using var stop = new CancellationTokenSource();
        var (_, runs) = await factory.StartAgentsAsync(owner, sns, stop.Token);
        var install = await owner.CreateTaskAsync(DistributionAction.Install, app.AppId, null, sns);
        await owner.WaitForTaskAsync(install.Id, t => t.Status == DistributionStatus.Completed);
        var boot = await owner.CreateTaskAsync(DistributionAction.SetBootStart, app.AppId, null, sns);
        var done = await owner.WaitForTaskAsync(boot.Id, t => t.Status == DistributionStatus.Completed);
        Assert.Equal(1, done.Count(TargetState.Succeeded));
        var detail = await owner.Client.GetAsync<JsonElement>($"/api/devices/{sns[0]}");
        Assert.True(detail.GetProperty("apps").EnumerateArray().Single(a => a.GetProperty("packageName").GetString() == package).GetProperty("bootStart").GetBoolean());
        stop.Cancel();
        await Task.WhenAll(runs);
    }

    private static async Task<List<string>> AppsOfAsync(TestAccount owner, string sn)
    {
        var detail = await owner.Client.GetAsync<JsonElement>($"/api/devices/{sn}");
        return detail.GetProperty("apps").EnumerateArray().Select(a => a.GetProperty("packageName").GetString()!).ToList();
    }

    [Fact]
    public async Task ABatchRestartRunsOnEveryDeviceAndSucceedsAfterTheReboot()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 2);
        using var stop = new CancellationTokenSource();
        var (agents, runs) = await factory.StartAgentsAsync(owner, sns, stop.Token);
        var task = await owner.CreateTaskAsync(DistributionAction.Restart, null, null, sns);
        var done = await owner.WaitForTaskAsync(task.Id, t => t.Status == DistributionStatus.Completed);
        Assert.Equal(2, done.Count(TargetState.Succeeded));
        Assert.All(agents, a => Assert.Equal(2, a.State.BootCount));
        stop.Cancel();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task DownloadsNeedASignedAddressForALiveJob()
    {
        var anonymous = factory.CreateClient();
        var sha = new string('a', 64);
        Assert.Equal(HttpStatusCode.NotFound, await anonymous.StatusAsync($"/api/distribution/downloads/{sha}"));
        Assert.Equal(HttpStatusCode.NotFound, await anonymous.StatusAsync($"/api/distribution/downloads/{sha}?token=forged"));
        Assert.Equal(HttpStatusCode.NotFound, await anonymous.StatusAsync("/api/distribution/downloads/not-a-hash?token=x"));
    }
}

public sealed class SqliteDistributionTests(SqliteFactory f) : DistributionTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresDistributionTests(PostgresFactory f) : DistributionTests(f), IClassFixture<PostgresFactory>;
