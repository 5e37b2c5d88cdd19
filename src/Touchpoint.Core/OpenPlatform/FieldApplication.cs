namespace Touchpoint.Core.OpenPlatform;

/// <summary>Review status, with the wire names of alipay.open.app.api.field.query (R29).</summary>
public enum FieldApplicationStatus
{
    Audit,
    Agree,
    Reject,
    /// <summary>Only for on-behalf applications whose authorization was withdrawn before the review.</summary>
    Invalid,
}

public static class FieldApplicationStatuses
{
    public static string WireName(this FieldApplicationStatus status) => status switch
    {
        FieldApplicationStatus.Audit => "audit",
        FieldApplicationStatus.Agree => "agree",
        FieldApplicationStatus.Reject => "reject",
        FieldApplicationStatus.Invalid => "invalid",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string ChineseName(this FieldApplicationStatus status) => status switch
    {
        FieldApplicationStatus.Audit => "审核中",
        FieldApplicationStatus.Agree => "已通过",
        FieldApplicationStatus.Reject => "已驳回",
        FieldApplicationStatus.Invalid => "已失效",
        _ => status.ToString(),
    };
}

/// <summary>An application for a member privacy field (用户信息申请), made in the console or through the API.</summary>
public sealed class FieldApplication
{
    public long Id { get; set; }
    /// <summary>The app that will get the field (user_app_id).</summary>
    public long AppId { get; set; }
    public long ApplicantAccountId { get; set; }
    /// <summary>Set when a service provider's third-party app applied on behalf of the app (代申请).</summary>
    public long? OnBehalfThirdPartyAppId { get; set; }
    public required string ApiName { get; set; }
    public required string FieldName { get; set; }
    public required string PackageCode { get; set; }
    public required string SceneCode { get; set; }
    public required string QpsAnswer { get; set; }
    public required string CustomerAnswer { get; set; }
    public FieldApplicationStatus Status { get; set; }
    public string? Reason { get; set; }
    public DateTime SubmittedAtUtc { get; set; }
    /// <summary>When a result is expected (R31: usually 2–3 working days).</summary>
    public DateTime ExpectedByUtc { get; set; }
    public DateTime? ReviewedAtUtc { get; set; }
    public long? ReviewerId { get; set; }
    public List<FieldApplicationMedia> Media { get; set; } = [];
}

/// <summary>A sample picture or video (video, picture_1..picture_5) attached to an application.</summary>
public sealed class FieldApplicationMedia
{
    public long Id { get; set; }
    public long ApplicationId { get; set; }
    public required string Slot { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Length { get; set; }
    public required byte[] Content { get; set; }
}
