using System.Text.Json;
using Touchpoint.Core.DeviceChannel;

namespace Touchpoint.Server.DeviceChannel;

/// <summary>
/// What the platform does with one uplink message, whichever broker carried it: checks the payload and hands it to
/// ingest or to the command service. A message that breaks a rule is refused with the reason; the caller closes that
/// device's connection and logs it.
/// </summary>
public sealed class DeviceUplink(DeviceIngest ingest, IServiceProvider services)
{
    // Resolved on first use: the command service publishes through the broker, which hands uplinks here.
    private DeviceCommandService Commands => services.GetRequiredService<DeviceCommandService>();
    private Distribution.DistributionReports Jobs => services.GetRequiredService<Distribution.DistributionReports>();

    /// <summary>Null when accepted; otherwise why the message is refused.</summary>
    /// <param name="statusIsConnection">
    /// True behind an external broker, where <c>up/status</c> is the only news of a device arriving or leaving; the
    /// embedded broker records connections from its own events and only checks status messages.
    /// </param>
    public async Task<string?> HandleAsync(string sn, UplinkKind kind, ReadOnlyMemory<byte> payload, bool statusIsConnection, CancellationToken ct)
    {
        if (payload.Length > DeviceTopics.MaxPayloadBytes)
        {
            return $"payload of {payload.Length} bytes exceeds {DeviceTopics.MaxPayloadBytes}";
        }
        switch (kind)
        {
            case UplinkKind.Telemetry:
                var (report, bad) = Parse<Telemetry>(payload.Span);
                if (report is null)
                {
                    return bad;
                }
                if (TelemetryRules.Problem(report) is { } problem)
                {
                    return $"telemetry refused: {problem}";
                }
                ingest.Telemetry(sn, report);
                return null;
            case UplinkKind.Ack or UplinkKind.Result:
                var (answer, badAnswer) = Parse<CommandAnswer>(payload.Span);
                if (answer is null)
                {
                    return badAnswer;
                }
                await Commands.AnswerAsync(sn, answer, kind == UplinkKind.Result, ct);
                return null;
            case UplinkKind.Job:
                var (job, badJob) = Parse<Core.Distribution.JobReport>(payload.Span);
                if (job is null)
                {
                    return badJob;
                }
                if (job.Problem() is { } jobProblem)
                {
                    return $"job report refused: {jobProblem}";
                }
                await Jobs.HandleAsync(sn, job, ct);
                return null;
            case UplinkKind.Cashier:
                var (cashier, badCashier) = Parse<CashierRequest>(payload.Span);
                if (cashier is null)
                {
                    return badCashier;
                }
                if (cashier.Problem() is { } cashierProblem)
                {
                    return $"cashier request refused: {cashierProblem}";
                }
                await CashierAsync(sn, cashier, ct);
                return null;
            case UplinkKind.Screen:
                var (screen, badScreen) = Parse<ScreenReport>(payload.Span);
                if (screen is null)
                {
                    return badScreen;
                }
                if (screen.Problem() is { } screenProblem)
                {
                    return $"screen report refused: {screenProblem}";
                }
                await services.GetRequiredService<Posters.PosterDelivery>().ReportedAsync(sn, screen, ct);
                return null;
            case UplinkKind.Voice:
                var (voice, badVoice) = Parse<VoiceReport>(payload.Span);
                if (voice is null)
                {
                    return badVoice;
                }
                if (voice.Problem() is { } voiceProblem)
                {
                    return $"voice report refused: {voiceProblem}";
                }
                await services.GetRequiredService<Broadcasts.VoiceMessages>().ReportedAsync(sn, voice, ct);
                return null;
            case UplinkKind.Heartbeat:
                ingest.Heartbeat(sn);
                return null;
            case UplinkKind.Status:
                var (status, badStatus) = Parse<DeviceStatus>(payload.Span);
                if (status is null)
                {
                    return badStatus;
                }
                if (status.Version != 1)
                {
                    return $"status version {status.Version} is not 1";
                }
                if (status.Reason is { Length: > DeviceStatus.MaxReasonLength })
                {
                    return $"status reason longer than {DeviceStatus.MaxReasonLength} characters";
                }
                if (statusIsConnection)
                {
                    // No reason means the last will: the broker lost the device. A reason means it left on purpose.
                    ingest.Connection(sn, status.Online, status.Online ? ConnectionReason.Connected : status.Reason is null ? ConnectionReason.Lost : ConnectionReason.Disconnected, null);
                    if (status.Online)
                    {
                        await Commands.SendPendingAsync(sn, ct); // whatever waited for it goes out now
                        await services.GetRequiredService<Broadcasts.VoiceMessages>().ConnectedAsync(sn, ct);
                    }
                }
                if (status.Online)
                {
                    // A device listening anew may have missed a schedule sent while it was away.
                    services.GetRequiredService<Posters.PosterDelivery>().Listening(sn);
                }
                return null;
            default:
                return $"unknown message kind {kind}";
        }
    }

    /// <summary>
    /// The terminal's own cashier: a bad amount or an app that is not the owner's is the merchant's mistake, not the
    /// device's, so it is shown on the screen rather than closing the connection.
    /// </summary>
    private async Task CashierAsync(string sn, CashierRequest request, CancellationToken ct)
    {
        var cashier = services.GetRequiredService<Payments.FaceCashier>();
        if (request.Action == "cancel")
        {
            await cashier.CancelAsync(sn, ct);
            return;
        }
        if (request.Action == "claim")
        {
            try
            {
                await services.GetRequiredService<Gifts.GiftSelection>().ClaimAtTerminalAsync(sn, request.ImpressionId, ct);
            }
            catch (Core.Common.TouchpointException)
            {
                // Said on the screen already: a gift gone, out of stock or over the member's allowance is not the device's fault.
            }
            return;
        }
        try
        {
            await cashier.StartAsync(new Payments.CashierStart(sn, request.TotalAmount, request.OutTradeNo, request.Subject, request.AppId, request.NotifyUrl, "terminal"), ct);
        }
        catch (Exception e) when (e is Core.Common.TouchpointException or Core.OpenPlatform.OpenPlatformViolation)
        {
            await services.GetRequiredService<Payments.TerminalScreens>().ShowAsync(sn,
                Payments.TerminalScreens.Error(null, e is Core.OpenPlatform.OpenPlatformViolation v ? v.SubCode : "INVALID", e.Message, ["请检查收银请求的金额、订单号与应用后重试"]), ct);
        }
    }

    private static (T? Value, string? Problem) Parse<T>(ReadOnlySpan<byte> json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json) is { } value ? (value, null) : (null, $"{typeof(T).Name} payload is empty");
        }
        catch (JsonException ex)
        {
            return (null, $"{typeof(T).Name} payload is not valid JSON: {ex.Message}");
        }
    }
}
