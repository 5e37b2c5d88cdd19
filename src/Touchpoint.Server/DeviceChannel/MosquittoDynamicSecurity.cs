using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Touchpoint.Core.DeviceChannel;

namespace Touchpoint.Server.DeviceChannel;

/// <summary>
/// Device accounts on mosquitto 2 through its dynamic security plugin, administered over MQTT. Each device gets a
/// client (username = SN) and a role of its own that allows exactly its topics: publish under <c>up/</c>, subscribe to
/// and receive <c>down/</c>. (mosquitto 2.0's plugin has no %u patterns, hence one role per device.) The platform's
/// own account gets a role for the shared uplink subscription and the downlinks when the link comes up.
/// </summary>
public sealed class MosquittoDynamicSecurity : IDeviceAccounts
{
    private const string ControlTopic = "$CONTROL/dynamic-security/v1";
    public const string PlatformRole = "touchpoint-platform";

    private readonly ExternalDeviceBroker _link;
    private readonly ExternalBrokerOptions _options;
    private readonly ILogger<MosquittoDynamicSecurity> _logger;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonArray>> _waiting = new();

    public MosquittoDynamicSecurity(ExternalDeviceBroker link, IOptions<DeviceChannelOptions> options, ILogger<MosquittoDynamicSecurity> logger)
    {
        _link = link;
        _options = options.Value.External;
        _logger = logger;
        link.ControlTopics.Add(ControlTopic + "/response");
        link.ControlMessage += OnAnswer;
        link.Connected += EnsurePlatformRoleAsync;
    }

    public static string DeviceRole(string sn) => "tp-device-" + sn;

    public async Task SetPasswordAsync(string sn, string password, CancellationToken ct)
    {
        var role = DeviceRole(sn);
        var answers = await SendAsync(
        [
            new() { ["command"] = "createRole", ["rolename"] = role },
            Acl(role, "publishClientSend", $"{DeviceTopics.Prefix}{sn}/up/#"),
            Acl(role, "subscribePattern", DeviceTopics.DownFilter(sn)),
            Acl(role, "publishClientReceive", DeviceTopics.DownFilter(sn)),
            new() { ["command"] = "createClient", ["username"] = sn, ["password"] = password, ["roles"] = new JsonArray(new JsonObject { ["rolename"] = role }) },
        ], ct);
        RequireSuccess(answers.Take(4), tolerated: "already exists");
        if (Error(answers[4]) is { } createError)
        {
            if (!createError.Contains("already exists", StringComparison.OrdinalIgnoreCase))
            {
                throw new BrokerAccountException($"mosquitto refused the account of {sn}: {createError}");
            }
            // A new key for a known device: the plugin drops the session that used the old password. (Its role came
            // with createClient; mosquitto 2.0 answers a repeated addClientRole with "Internal error".)
            RequireSuccess(await SendAsync(
            [
                new() { ["command"] = "setClientPassword", ["username"] = sn, ["password"] = password },
                new() { ["command"] = "enableClient", ["username"] = sn },
            ], ct), tolerated: null);
        }
    }

    public async Task DisconnectAsync(string sn, CancellationToken ct) =>
        // Disabling a client kicks its connection; enabling it at once lets the device come back with its password.
        RequireSuccess(await SendAsync(
        [
            new() { ["command"] = "disableClient", ["username"] = sn },
            new() { ["command"] = "enableClient", ["username"] = sn },
        ], ct), tolerated: null);

    private async Task EnsurePlatformRoleAsync(CancellationToken ct)
    {
        if (_options.Username is not { } self)
        {
            throw new BrokerAccountException("DeviceChannel:External:Username is needed to administer mosquitto's dynamic security");
        }
        var uplinks = $"{DeviceTopics.Prefix}+/up/#";
        var answers = await SendAsync(
        [
            new() { ["command"] = "createRole", ["rolename"] = PlatformRole },
            Acl(PlatformRole, "subscribePattern", $"$share/{_options.SharedGroup}/{uplinks}"),
            Acl(PlatformRole, "subscribePattern", uplinks),
            Acl(PlatformRole, "publishClientReceive", uplinks),
            Acl(PlatformRole, "publishClientSend", $"{DeviceTopics.Prefix}+/down/#"),
            Acl(PlatformRole, "publishClientSend", ExternalDeviceBroker.NodesTopic),
            Acl(PlatformRole, "subscribePattern", ExternalDeviceBroker.NodesTopic),
            Acl(PlatformRole, "publishClientReceive", ExternalDeviceBroker.NodesTopic),
            new() { ["command"] = "getClient", ["username"] = self },
        ], ct);
        RequireSuccess(answers, tolerated: "already");
        var roles = answers[^1]?["data"]?["client"]?["roles"]?.AsArray() ?? [];
        if (!roles.Any(r => r?["rolename"]?.GetValue<string>() == PlatformRole))
        {
            // mosquitto drops a client whose roles change, this link included: it reconnects at once, with the role.
            RequireSuccess(await SendAsync([new() { ["command"] = "addClientRole", ["username"] = self, ["rolename"] = PlatformRole }], ct), tolerated: null);
        }
    }

    private static JsonObject Acl(string role, string type, string topic) => new()
    {
        ["command"] = "addRoleACL", ["rolename"] = role, ["acltype"] = type, ["topic"] = topic, ["allow"] = true, ["priority"] = 0,
    };

    private async Task<JsonArray> SendAsync(JsonObject[] commands, CancellationToken ct)
    {
        // A node that has just started may not have its link yet: wait for it rather than fail at once.
        var deadline = DateTime.UtcNow.AddSeconds(_options.RequestTimeoutSeconds);
        while (!_link.IsReady)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new BrokerAccountException("the link to the external MQTT broker is down");
            }
            await Task.Delay(100, ct);
        }
        var id = Guid.NewGuid().ToString("N");
        var waiter = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = waiter;
        try
        {
            for (var i = 0; i < commands.Length; i++)
            {
                commands[i]["correlationData"] = $"{id}:{i}";
            }
            var body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["commands"] = new JsonArray(commands) });
            await _link.PublishAsync(ControlTopic, body, ct);
            var answers = await waiter.Task.WaitAsync(TimeSpan.FromSeconds(_options.RequestTimeoutSeconds), ct);
            if (answers.Count != commands.Length)
            {
                throw new BrokerAccountException($"mosquitto answered {answers.Count} of {commands.Length} commands");
            }
            return answers;
        }
        catch (TimeoutException)
        {
            throw new BrokerAccountException("mosquitto did not answer (is the dynamic security plugin loaded, and may this account administer it?)");
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    private void OnAnswer(string topic, byte[] payload)
    {
        try
        {
            if (JsonNode.Parse(payload)?["responses"] is not JsonArray responses || responses.Count == 0
                || responses[0]?["correlationData"]?.GetValue<string>() is not { } correlation)
            {
                return;
            }
            // Other nodes' answers arrive here too; only ours are waited for.
            if (_waiting.TryGetValue(correlation.Split(':')[0], out var waiter))
            {
                waiter.TrySetResult(responses);
            }
        }
        catch (JsonException e)
        {
            _logger.LogWarning("Unreadable answer on {Topic}: {Error}", topic, e.Message);
        }
    }

    private static string? Error(JsonNode? answer) => answer?["error"]?.GetValue<string>();

    private static void RequireSuccess(IEnumerable<JsonNode?> answers, string? tolerated)
    {
        foreach (var answer in answers)
        {
            if (Error(answer) is { } error && (tolerated is null || !error.Contains(tolerated, StringComparison.OrdinalIgnoreCase)))
            {
                throw new BrokerAccountException($"mosquitto refused {answer?["command"]}: {error}");
            }
        }
    }
}
