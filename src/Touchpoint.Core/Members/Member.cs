namespace Touchpoint.Core.Members;

/// <summary>
/// A consumer (会员) as the platform knows them. Touchpoint has no real Alipay users: these are simulated members, like
/// the buyer accounts of a sandbox, so that developers can preview consent flows end to end.
/// </summary>
public sealed class Member
{
    public long Id { get; set; }
    /// <summary>16 digits starting 2088, like an Alipay user_id.</summary>
    public required string UserId { get; set; }
    public required string NickName { get; set; }
    public required string UserName { get; set; }
    /// <summary>11-digit mainland mobile number.</summary>
    public required string Mobile { get; set; }
    public required string CertNo { get; set; }
    public required string Address { get; set; }
    public string Gender { get; set; } = "m";
    public required string Province { get; set; }
    public required string City { get; set; }

    /// <summary>刷脸支付 开通/关闭.</summary>
    public bool FacePayEnabled { get; set; } = true;
    public Payments.FaceStatus FaceStatus { get; set; }
    /// <summary>相似脸: someone else's face is close to this member's, so every face payment asks for all 11 digits.</summary>
    public bool LookAlike { get; set; }
    /// <summary>Bumped on every change from the console (two operators editing at once: the second is told).</summary>
    public int Revision { get; set; }
}
