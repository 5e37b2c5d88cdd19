using System.Text.Json;

namespace Touchpoint.Sdk;

/// <summary>A verified gateway answer: the response node and its common fields.</summary>
public sealed class OpenApiResponse
{
    public required string Method { get; init; }
    /// <summary>The response node (decrypted when the call was encrypted).</summary>
    public required JsonElement Node { get; init; }
    /// <summary>The body exactly as received.</summary>
    public required string RawBody { get; init; }

    public string Code => Text("code") ?? "";
    public string? Msg => Text("msg");
    public string? SubCode => Text("sub_code");
    public string? SubMsg => Text("sub_msg");
    public bool IsSuccess => Code == "10000";

    public string? Text(string name) =>
        Node.ValueKind == JsonValueKind.Object && Node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;
}

/// <summary>The gateway's answer could not be trusted (bad signature, wrong shape) or the call failed at HTTP level.</summary>
public sealed class OpenApiException(string message, string? rawBody = null) : Exception(message)
{
    public string? RawBody { get; } = rawBody;
}

/// <summary>A file for a multipart call (e.g. picture_1 of alipay.open.app.api.field.apply).</summary>
public sealed record OpenApiFile(string FieldName, string FileName, byte[] Content, string ContentType = "application/octet-stream");
