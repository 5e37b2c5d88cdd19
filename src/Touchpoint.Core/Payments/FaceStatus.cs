namespace Touchpoint.Core.Payments;

/// <summary>A member's face as the face-pay service knows it.</summary>
public enum FaceStatus
{
    /// <summary>正常.</summary>
    Normal,
    /// <summary>需重新采集: the stored face is too old or poor; recognition refuses until it is captured again in the app.</summary>
    NeedsRecapture,
    /// <summary>已冻结: face pay frozen for risk; support unfreezes it.</summary>
    Frozen,
}

public static class FaceStatuses
{
    public static string Chinese(this FaceStatus status) => status switch
    {
        FaceStatus.Normal => "正常",
        FaceStatus.NeedsRecapture => "需重新采集",
        FaceStatus.Frozen => "已冻结",
        _ => status.ToString(),
    };
}
