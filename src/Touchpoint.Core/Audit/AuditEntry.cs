namespace Touchpoint.Core.Audit;

public enum AuditAction
{
    AccountCreated = 1,
    OnboardingEntryIssued = 10,
    OnboardingSubmitted = 11,
    OwnershipAuthorized = 12,
    OnboardingDeclined = 13,
    PurchaseEntryIssued = 20,
    PurchaseOrdered = 21,
    PurchaseShipped = 22,
    OwnershipReceived = 23,
    PurchaseCancelled = 24,
    GrantCreated = 30,
    GrantRevoked = 31,
    AppCreated = 40,
    AppKeyChanged = 41,
    AppAuthorized = 42,
    AppAuthorizationRevoked = 43,
    FieldApplied = 50,
    FieldApproved = 51,
    FieldRejected = 52,
    FieldInvalidated = 53,
    CatalogueAppCreated = 60,
    AppVersionPublished = 61,
    CatalogueAppOpened = 62,
    DistributionStarted = 63,
    DistributionPaused = 64,
    DistributionResumed = 65,
    DistributionCancelled = 66,
    DistributionRetried = 67,
    MemberCreated = 70,
    MemberUpdated = 71,
    TradeRefunded = 72,
    CameraFlagChanged = 73,
    AnnouncementChanged = 74,
    PosterUploaded = 75,
    PosterPlaced = 76,
    PosterRemoved = 77,
    PosterAdminModeChanged = 78,
    PosterCampaignStarted = 79,
    PosterCampaignWithdrawn = 80,
    GiftCreated = 81,
    GiftModified = 82,
    GiftStopped = 83,
    ClerkCreated = 84,
    ClerkChanged = 85,
}

/// <summary>
/// One line of the audit log. <see cref="VisibleToId"/> is the account whose log shows it (the owner
/// affected); the operator sees every line.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime AtUtc { get; set; }
    public long ActorId { get; set; }
    public AuditAction Action { get; set; }
    public long? VisibleToId { get; set; }
    public long? DeviceId { get; set; }
    public string? DeviceSn { get; set; }
    /// <summary>Chinese, one sentence, written for the owner to read.</summary>
    public required string Detail { get; set; }
}

public static class AuditNames
{
    public static string Chinese(this AuditAction action) => action switch
    {
        AuditAction.AccountCreated => "创建账号",
        AuditAction.OnboardingEntryIssued => "发放进件入口",
        AuditAction.OnboardingSubmitted => "厂商进件",
        AuditAction.OwnershipAuthorized => "进件授权（所有权变更）",
        AuditAction.OnboardingDeclined => "拒绝进件",
        AuditAction.PurchaseEntryIssued => "发放申购入口",
        AuditAction.PurchaseOrdered => "提交申购",
        AuditAction.PurchaseShipped => "申购发货",
        AuditAction.OwnershipReceived => "确认收货（所有权变更）",
        AuditAction.PurchaseCancelled => "取消申购",
        AuditAction.GrantCreated => "发起授权",
        AuditAction.GrantRevoked => "撤销授权",
        AuditAction.AppCreated => "创建应用",
        AuditAction.AppKeyChanged => "修改应用密钥",
        AuditAction.AppAuthorized => "商家授权第三方应用",
        AuditAction.AppAuthorizationRevoked => "解除第三方应用授权",
        AuditAction.FieldApplied => "申请用户信息",
        AuditAction.FieldApproved => "用户信息申请通过",
        AuditAction.FieldRejected => "用户信息申请驳回",
        AuditAction.FieldInvalidated => "用户信息申请失效",
        AuditAction.CatalogueAppCreated => "创建分发应用",
        AuditAction.AppVersionPublished => "上传应用版本",
        AuditAction.CatalogueAppOpened => "开放应用",
        AuditAction.DistributionStarted => "开始分发任务",
        AuditAction.DistributionPaused => "暂停分发任务",
        AuditAction.DistributionResumed => "继续分发任务",
        AuditAction.DistributionCancelled => "取消分发任务",
        AuditAction.DistributionRetried => "重试失败设备",
        AuditAction.MemberCreated => "创建会员",
        AuditAction.MemberUpdated => "修改会员",
        AuditAction.TradeRefunded => "交易退款",
        AuditAction.CameraFlagChanged => "模拟摄像头状态",
        AuditAction.AnnouncementChanged => "修改到账播报",
        AuditAction.PosterUploaded => "上传海报",
        AuditAction.PosterPlaced => "投放海报",
        AuditAction.PosterRemoved => "撤下海报",
        AuditAction.PosterAdminModeChanged => "切换管理员模式",
        AuditAction.PosterCampaignStarted => "投放中心化海报",
        AuditAction.PosterCampaignWithdrawn => "撤回中心化海报",
        AuditAction.GiftCreated => "创建刷脸有礼",
        AuditAction.GiftModified => "修改刷脸有礼",
        AuditAction.GiftStopped => "停用刷脸有礼",
        AuditAction.ClerkCreated => "创建店员账号",
        AuditAction.ClerkChanged => "修改店员账号",
        _ => action.ToString(),
    };
}
