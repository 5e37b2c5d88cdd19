namespace Touchpoint.Core.Payments;

/// <summary>What stands between the camera and the member's face at one capture (set by a test, the demo, or the device flag).</summary>
[Flags]
public enum CaptureConditions
{
    None = 0,
    CameraBlocked = 1,
    CameraDirty = 2,
    StrongLight = 4,
    ReflectiveClothing = 8,
    BadAngle = 16,
    /// <summary>A photo or a screen instead of a live face.</summary>
    Spoof = 32,
    /// <summary>The member walked away (cancelled on the screen).</summary>
    UserQuit = 64,
    /// <summary>Nobody looked at the camera before the SDK gave up.</summary>
    Timeout = 128,
}

/// <summary>How much of the phone number the terminal asks for (R24).</summary>
public enum VerifyLevel
{
    None = 0,
    /// <summary>The last 4 digits.</summary>
    Last4 = 4,
    /// <summary>All 11 digits: the higher risk.</summary>
    Full11 = 11,
}

/// <summary>A face-SDK error code as the terminal shows it, with the seed's explanation and advice.</summary>
public sealed record FaceError(string Code, string SdkCode, string Message, IReadOnlyList<string> Advice);

public static class FaceErrors
{
    /// <summary>Seed 001 §三: Z1010 is a failed capture.</summary>
    public static readonly FaceError Z1010 = new("Z1010", "1001", "刷脸失败：人脸采集失败（Z1010）",
    [
        "检查摄像头是否被遮挡或有脏污，擦拭镜头",
        "检查周围环境：避开强光直射，不要穿反光衣物",
        "请其他人试一下能否正常刷脸，判断是否为付款人人脸信息的原因",
        "以上都无效时，最后再尝试恢复出厂设置",
    ]);
    public static readonly FaceError Z1008 = new("Z1008", "1003", "用户已退出刷脸（Z1008）", ["请顾客重新发起支付，或改用付款码"]);
    public static readonly FaceError Z1005 = new("Z1005", "1004", "刷脸超时（Z1005）", ["请顾客正对摄像头后重新发起支付"]);
    public static readonly FaceError Z1013 = new("Z1013", "1001", "活体检测未通过（Z1013）", ["请本人正对摄像头刷脸，不要使用照片或屏幕"]);

    public static readonly IReadOnlyList<FaceError> All = [Z1010, Z1008, Z1005, Z1013];

    public static FaceError? Find(string? code) => All.FirstOrDefault(e => e.Code == code);
}

/// <summary>The outcome of one capture: a face (maybe with phone verification asked), or an SDK error.</summary>
public sealed record CaptureOutcome(bool Captured, FaceError? Error, VerifyLevel Verify, IReadOnlyList<string> Escalation)
{
    public string? EscalationText => Escalation.Count == 0 ? null : string.Join("；", Escalation);
}

/// <summary>
/// The capture rule (R12, R24). A blocked camera never captures; a dirty one fails four captures in five (the device's
/// n-th capture decides, so a fleet's rates are reproducible); strong light or reflective clothing fail every other
/// capture. What does capture under a risky condition — bad angle, light, a dirty camera — or a member whose face looks
/// like another's, asks for phone digits: the last 4 for one environmental risk, all 11 for a look-alike or for two risks
/// together. A photo fails liveness; a member who quits or never looks ends the session.
/// </summary>
public static class FaceCaptureRule
{
    public static CaptureOutcome Evaluate(CaptureConditions conditions, int sequence, bool lookAlike)
    {
        if (conditions.HasFlag(CaptureConditions.UserQuit))
        {
            return Fail(FaceErrors.Z1008);
        }
        if (conditions.HasFlag(CaptureConditions.Timeout))
        {
            return Fail(FaceErrors.Z1005);
        }
        if (conditions.HasFlag(CaptureConditions.CameraBlocked))
        {
            return Fail(FaceErrors.Z1010);
        }
        if (conditions.HasFlag(CaptureConditions.CameraDirty) && sequence % 5 != 4)
        {
            return Fail(FaceErrors.Z1010);
        }
        if ((conditions.HasFlag(CaptureConditions.StrongLight) || conditions.HasFlag(CaptureConditions.ReflectiveClothing)) && sequence % 2 == 0)
        {
            return Fail(FaceErrors.Z1010);
        }
        if (conditions.HasFlag(CaptureConditions.Spoof))
        {
            return Fail(FaceErrors.Z1013);
        }
        var risks = new List<string>();
        if (conditions.HasFlag(CaptureConditions.BadAngle)) risks.Add("刷脸角度不正");
        if (conditions.HasFlag(CaptureConditions.StrongLight)) risks.Add("光线过强");
        if (conditions.HasFlag(CaptureConditions.ReflectiveClothing)) risks.Add("反光衣物");
        if (conditions.HasFlag(CaptureConditions.CameraDirty)) risks.Add("摄像头脏污");
        var environmental = risks.Count;
        if (lookAlike) risks.Add("相似脸");
        var level = lookAlike || environmental >= 2 ? VerifyLevel.Full11 : environmental == 1 ? VerifyLevel.Last4 : VerifyLevel.None;
        return new CaptureOutcome(true, null, level, risks);
    }

    /// <summary>The digits asked for are right: the last 4, or the whole number.</summary>
    public static bool DigitsMatch(VerifyLevel level, string mobile, string? digits) => level switch
    {
        VerifyLevel.Last4 => digits is { Length: 4 } && mobile.EndsWith(digits, StringComparison.Ordinal),
        VerifyLevel.Full11 => digits is { Length: 11 } && digits == mobile,
        _ => true,
    };

    public static string Prompt(VerifyLevel level) => level switch
    {
        VerifyLevel.Last4 => "为保障您的资金安全，请输入手机号后 4 位",
        VerifyLevel.Full11 => "为保障您的资金安全，请输入完整的 11 位手机号",
        _ => "",
    };

    public static string Chinese(this VerifyLevel level) => level switch
    {
        VerifyLevel.Last4 => "手机号后4位",
        VerifyLevel.Full11 => "完整11位手机号",
        _ => "无需验证",
    };

    public static CaptureConditions ParseConditions(IEnumerable<string>? names)
    {
        var result = CaptureConditions.None;
        foreach (var name in names ?? [])
        {
            result |= name is { Length: > 0 } && !char.IsAsciiDigit(name[0]) && Enum.TryParse<CaptureConditions>(name.Replace("_", ""), ignoreCase: true, out var c)
                && Enum.IsDefined(c) && c != CaptureConditions.None ? c
                : throw new ArgumentException($"未知的刷脸环境条件 {name}（支持 camera_blocked、camera_dirty、strong_light、reflective_clothing、bad_angle、spoof、user_quit、timeout）");
        }
        return result;
    }

    public static string Chinese(this CaptureConditions conditions) => conditions == CaptureConditions.None ? "正常" : string.Join("、",
        Enum.GetValues<CaptureConditions>().Where(c => c != CaptureConditions.None && conditions.HasFlag(c)).Select(c => c switch
        {
            CaptureConditions.CameraBlocked => "摄像头遮挡",
            CaptureConditions.CameraDirty => "摄像头脏污",
            CaptureConditions.StrongLight => "强光",
            CaptureConditions.ReflectiveClothing => "反光衣",
            CaptureConditions.BadAngle => "角度不正",
            CaptureConditions.Spoof => "非活体",
            CaptureConditions.UserQuit => "用户退出",
            CaptureConditions.Timeout => "超时",
            _ => c.ToString(),
        }));

    private static CaptureOutcome Fail(FaceError error) => new(false, error, VerifyLevel.None, []);
}
