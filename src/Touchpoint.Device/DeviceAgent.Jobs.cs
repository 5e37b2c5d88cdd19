using System.Net.Http.Headers;
using System.Security.Cryptography;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Distribution;

namespace Touchpoint.Device;

/// <summary>
/// Distribution jobs, done as a terminal does them: refuse what the package manager would refuse (Android version,
/// signer, storage, missing stack), download with range requests (resuming after a drop), verify the SHA-256, install
/// into the persisted state, report each step, and then report the app list — the proof the platform waits for.
/// </summary>
public sealed partial class DeviceAgent
{
    private readonly SemaphoreSlim _jobs = new(1, 1);
    private HttpClient? _ownHttp;
    private HttpClient Http => options.Http ?? (_ownHttp ??= new HttpClient { Timeout = TimeSpan.FromMinutes(30) });

    /// <summary>Jobs this terminal has run (tests check nothing ran twice).</summary>
    public int JobsRun { get; private set; }

    private async Task TakeJobAsync(JobMessage job)
    {
        // One job at a time, like a package manager; a re-sent job (same id and attempt) runs once.
        await _jobs.WaitAsync();
        try
        {
            if (_rebooting || State.HandledJobs.Contains($"{job.Id}:{job.Attempt}") || Expired(job))
            {
                return;
            }
            State.HandledJob(job.Id, job.Attempt);
            State.CurrentJob = job;
            State.Save(options.StateFolder);
            JobsRun++;
            await RunJobAsync(job);
            State.CurrentJob = null;
            State.Save(options.StateFolder);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or IOException)
        {
            LastError = e.Message;
        }
        finally
        {
            _jobs.Release();
        }
    }

    /// <summary>A job the terminal was running when it (or its agent) stopped: taken up again on connect, from its partial file.</summary>
    private async Task ResumeJobAsync(JobMessage job)
    {
        await _jobs.WaitAsync();
        try
        {
            if (State.CurrentJob?.Id != job.Id || State.CurrentJob.Attempt != job.Attempt)
            {
                return;
            }
            if (!Expired(job))
            {
                await RunJobAsync(job);
            }
            State.CurrentJob = null;
            State.Save(options.StateFolder);
        }
        catch (Exception e)
        {
            // Whatever stopped it, it is not taken up on every reconnect from now on: the platform times it out and retries.
            LastError = e.Message;
            State.CurrentJob = null;
            State.Save(options.StateFolder);
        }
        finally
        {
            _jobs.Release();
        }
    }

    private Task ReportAsync(JobMessage job, string state, int? progress = null, FailureReason? reason = null, string? message = null) =>
        PublishWhenConnectedAsync(UplinkKind.Job, new JobReport
        {
            Id = job.Id, Attempt = job.Attempt, State = state, Progress = progress, Reason = reason?.Wire(), Message = message,
            BootAt = state == "installed" ? State.BootAt : null,
        });

    /// <summary>A job past its time is not run: its task has given up on it (timed out, retried or cancelled).</summary>
    private bool Expired(JobMessage job) => job.ExpiresAt != default && job.ExpiresAt < _clock.GetUtcNow();

    /// <summary>
    /// A job's report outlives a lost link: the terminal keeps working and says where it is once it is connected again
    /// (a server restart mid-task loses nothing). Gives up after <see cref="AgentOptions.OfflineReportWindow"/>.
    /// </summary>
    private async Task PublishWhenConnectedAsync(UplinkKind kind, object body)
    {
        var deadline = DateTime.UtcNow + options.OfflineReportWindow;
        while (true)
        {
            try
            {
                if (IsConnected && !_rebooting)
                {
                    await PublishAsync(kind, body, CancellationToken.None);
                    return;
                }
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new IOException("offline too long to report");
            }
            await Task.Delay(200);
        }
    }

    private Task FailAsync(JobMessage job, FailureReason reason, string message) => ReportAsync(job, "failed", reason: reason, message: message);

    private async Task RunJobAsync(JobMessage job)
    {
        var installed = State.Apps.FirstOrDefault(a => a.Package == job.Package);
        switch (job.Action)
        {
            case "uninstall":
                State.Apps.RemoveAll(a => a.Package == job.Package);
                State.Certificates.Remove(job.Package);
                await FinishAsync(job, "已卸载");
                return;
            case "boot_start" when installed is null:
                await FailAsync(job, FailureReason.InstallFailed, "应用未安装，不能设置开机启动");
                return;
            case "boot_start":
                if (!State.AntOs)
                {
                    await FailAsync(job, FailureReason.InstallFailed, "系统不支持开机启动设置（未集成蚂蚁 OS）");
                    return;
                }
                Replace(installed with { BootStart = true });
                await FinishAsync(job, "已设置开机启动");
                return;
            case "install" or "upgrade":
                break;
            default:
                await FailAsync(job, FailureReason.Unknown, $"不支持的操作 {job.Action}");
                return;
        }
        if (Refusal(job, installed) is { } refusal)
        {
            await FailAsync(job, refusal.Reason, refusal.Message);
            return;
        }
        var file = options.StoreDownloads ? await DownloadAsync(job) : await StreamAsync(job);
        if (file is null)
        {
            return; // the failure was reported
        }
        await ReportAsync(job, "installing");
        await Task.Delay(options.InstallDelay);
        try
        {
            if (options.FailInstallRate > 0 && Random.Shared.NextDouble() < options.FailInstallRate)
            {
                await FailAsync(job, FailureReason.InstallFailed, "安装失败：INSTALL_FAILED_INTERNAL_ERROR（模拟故障）");
                return;
            }
            var name = installed?.Name ?? job.Name;
            if (job.Kind == "system_image")
            {
                State.AndroidVersion = job.OsVersion ?? State.AndroidVersion;
                Replace(new AppReport { Package = job.Package, Name = "系统", Version = job.VersionName ?? "", VersionCode = job.VersionCode });
                State.CurrentJob = null;
                State.Save(options.StateFolder);
                await ReportAsync(job, "installed", message: "系统已写入，正在重启");
                await RebootAsync(null);
                return;
            }
            Replace(new AppReport
            {
                Package = job.Package, Name = Clip(name, TelemetryRules.MaxAppName), Version = job.VersionName ?? "", VersionCode = job.VersionCode,
                BootStart = job.BootStart || installed?.BootStart == true ? true : null,
            });
            if (job.CertificateSha256 is { } cert)
            {
                State.Certificates[job.Package] = cert;
            }
            await FinishAsync(job, $"已安装 {job.VersionName}");
        }
        finally
        {
            if (file.Length > 0)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>The benchmark's download: hashed as it arrives, nothing written; "" on success, null when it failed (reported).</summary>
    private async Task<string?> StreamAsync(JobMessage job)
    {
        await ReportAsync(job, "downloading", 0);
        try
        {
            using var response = await Http.GetAsync(job.Url, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                await FailAsync(job, FailureReason.DownloadFailed, $"下载失败：HTTP {(int)response.StatusCode}");
                return null;
            }
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
            if (Convert.ToHexStringLower(hash.GetHashAndReset()) != job.Sha256)
            {
                await FailAsync(job, FailureReason.ChecksumFailed, "SHA-256 不一致");
                return null;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or TaskCanceledException)
        {
            await FailAsync(job, FailureReason.NetworkLost, $"下载中断：{e.Message}");
            return null;
        }
        await ReportAsync(job, "downloaded", 100);
        return "";
    }

    /// <summary>What a real terminal refuses before it downloads anything.</summary>
    private (FailureReason Reason, string Message)? Refusal(JobMessage job, AppReport? installed)
    {
        if (job.MinSdk is { } minSdk && AndroidSdk.ApiLevel(State.AndroidVersion) is { } api && api < minSdk)
        {
            return (FailureReason.IncompatibleAndroid, $"INSTALL_FAILED_OLDER_SDK：应用需要 API {minSdk}，设备是 Android {State.AndroidVersion}（API {api}）");
        }
        if (installed is not null && job.CertificateSha256 is { } cert && State.Certificates.TryGetValue(job.Package, out var current) && current != cert)
        {
            return (FailureReason.SignatureMismatch, "INSTALL_FAILED_UPDATE_INCOMPATIBLE：新版本的签名与已安装版本不一致");
        }
        if (job.Size is { } size && size * 2 > State.StorageFreeBytes)
        {
            return (FailureReason.InsufficientStorage, $"INSTALL_FAILED_INSUFFICIENT_STORAGE：需要 {size * 2 / 1024 / 1024} MB，剩余 {State.StorageFreeBytes / 1024 / 1024} MB");
        }
        var caps = State.Capabilities;
        if (caps is not null && job.Kind == "mini_program" && !caps.Contains("xpaas"))
        {
            return (FailureReason.IncompatibleAndroid, "设备未集成 xPaaS，不能安装小程序");
        }
        if (caps is not null && job.Kind == "light_app" && !caps.Contains("smile"))
        {
            return (FailureReason.IncompatibleAndroid, "设备未集成 Smile，不能安装轻应用");
        }
        return null;
    }

    /// <summary>
    /// Downloads to a partial file, resuming with <c>Range</c> after a drop (three tries), then checks the SHA-256.
    /// Null when it failed (reported).
    /// </summary>
    private async Task<string?> DownloadAsync(JobMessage job)
    {
        if (job.Url is null || job.Sha256 is null)
        {
            await FailAsync(job, FailureReason.DownloadFailed, "任务没有下载地址");
            return null;
        }
        var folder = options.DownloadFolder ?? Path.Combine(Path.GetTempPath(), "touchpoint-device-downloads");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{identity.Sn}-{job.Sha256}");
        var dropOnce = options.DropDownloadRate > 0 && Random.Shared.NextDouble() < options.DropDownloadRate;
        var lastReported = -1;
        var failures = 0;
        DateTime? firstFailure = null;
        await ReportAsync(job, "downloading", 0);
        while (true)
        {
            try
            {
                var offset = File.Exists(path) ? new FileInfo(path).Length : 0;
                using var request = new HttpRequestMessage(HttpMethod.Get, job.Url);
                if (offset > 0)
                {
                    request.Headers.Range = new RangeHeaderValue(offset, null);
                }
                using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (response.StatusCode == System.Net.HttpStatusCode.RequestedRangeNotSatisfiable)
                {
                    File.Delete(path); // the partial file is not a prefix of this artifact: start again
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    await FailAsync(job, FailureReason.DownloadFailed, $"下载失败：HTTP {(int)response.StatusCode}");
                    return null;
                }
                var append = offset > 0 && response.StatusCode == System.Net.HttpStatusCode.PartialContent;
                var total = job.Size ?? response.Content.Headers.ContentLength ?? 0;
                await using (var body = await response.Content.ReadAsStreamAsync())
                await using (var file = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 81920, true))
                {
                    var buffer = new byte[81920];
                    var written = append ? offset : 0;
                    var started = DateTime.UtcNow;
                    long thisRun = 0;
                    int read;
                    while ((read = await body.ReadAsync(buffer)) > 0)
                    {
                        await file.WriteAsync(buffer.AsMemory(0, read));
                        written += read;
                        thisRun += read;
                        if (dropOnce && total > 0 && written > total / 2)
                        {
                            dropOnce = false;
                            throw new IOException("模拟网络中断");
                        }
                        if (options.DownloadBytesPerSecond > 0)
                        {
                            var due = TimeSpan.FromSeconds((double)thisRun / options.DownloadBytesPerSecond) - (DateTime.UtcNow - started);
                            if (due > TimeSpan.Zero)
                            {
                                await Task.Delay(due);
                            }
                        }
                        var percent = total > 0 ? (int)(written * 100 / total) : 0;
                        if (percent / 20 > lastReported / 20 && percent < 100)
                        {
                            lastReported = percent;
                            await ReportAsync(job, "downloading", percent);
                        }
                    }
                }
                break;
            }
            catch (Exception e) when (e is IOException or HttpRequestException or TaskCanceledException)
            {
                // The network (or the platform) went away: keep the partial file and resume with a range request, waiting
                // longer each time, until the retry window is spent.
                failures++;
                if (DateTime.UtcNow - firstFailure.GetValueOrDefault(DateTime.UtcNow) > options.DownloadRetryWindow)
                {
                    await FailAsync(job, FailureReason.NetworkLost, $"下载中断 {failures} 次：{e.Message}");
                    return null;
                }
                firstFailure ??= DateTime.UtcNow;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * Math.Pow(2, failures - 1), 5000)));
            }
        }
        string actual;
        await using (var check = File.OpenRead(path))
        {
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(check));
        }
        if (actual != job.Sha256)
        {
            File.Delete(path);
            await FailAsync(job, FailureReason.ChecksumFailed, $"SHA-256 不一致：期望 {job.Sha256[..12]}…，实际 {actual[..12]}…");
            return null;
        }
        await ReportAsync(job, "downloaded", 100);
        return path;
    }

    private void Replace(AppReport app)
    {
        State.Apps.RemoveAll(a => a.Package == app.Package);
        State.Apps.Add(app);
    }

    /// <summary>Done: the claim, then the app list that proves it.</summary>
    private async Task FinishAsync(JobMessage job, string message)
    {
        State.Save(options.StateFolder);
        await ReportAsync(job, "installed", message: message);
        await PublishWhenConnectedAsync(UplinkKind.Telemetry, State.ToTelemetry());
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
