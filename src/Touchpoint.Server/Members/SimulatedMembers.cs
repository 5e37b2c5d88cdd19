using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Members;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Members;

/// <summary>
/// The simulated consumers (模拟会员) of 小程序预览 and the runtime API, ensured at every start: Touchpoint holds no real
/// Alipay users, and numbers in 170/171 ranges keep them from looking like anyone's real phone.
/// </summary>
public sealed class SimulatedMembers(IDbContextFactory<TouchpointDb> factory)
{
    public static readonly IReadOnlyList<Member> All =
    [
        Make("2088101117955611", "小张", "张晓明", "17000000001", "330106199001011234", "浙江省", "杭州市", "浙江省杭州市西湖区文三路 90 号", "m"),
        Make("2088101117955612", "Lily", "李丽", "17000000002", "310115199205152345", "上海市", "上海市", "上海市浦东新区张江路 88 号", "f"),
        Make("2088101117955613", "老王", "王建国", "17000000003", "110105198507073456", "北京市", "北京市", "北京市朝阳区建国路 1 号", "m"),
        Make("2088101117955614", "小赵", "赵敏", "17100000004", "440305199812124567", "广东省", "深圳市", "广东省深圳市南山区科技园 2 号", "f"),
        Make("2088101117955615", "阿强", "陈强", "17100000005", "320508199303035678", "江苏省", "苏州市", "江苏省苏州市工业园区星湖街 328 号", "m"),
        Make("2088101117955616", "小雨", "刘雨", "17100000006", "330212200001016789", "浙江省", "宁波市", "浙江省宁波市鄞州区天童南路 1 号", "f"),
    ];

    public async Task EnsureAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var existing = await db.Members.Select(m => m.UserId).ToListAsync(ct);
        var missing = All.Where(m => !existing.Contains(m.UserId)).ToList();
        if (missing.Count > 0)
        {
            db.Members.AddRange(missing.Select(Copy));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Another node seeded them at the same moment.
                return;
            }
        }
        // Members from before face pay get the sandbox's funding once (the migration adds none); what an operator changed later
        // stays. A member whose every source an operator removed gets them back at a restart: the sandbox never leaves a
        // member unable to pay.
        var unfunded = await db.Members.Where(m => !db.FundingSources.Any(f => f.MemberId == m.Id)).Select(m => m.Id).ToListAsync(ct);
        foreach (var id in unfunded)
        {
            db.FundingSources.AddRange(Payments.MemberAdmin.DefaultFunding().Select((f, i) => new Core.Payments.FundingSource
            {
                MemberId = id, Kind = f.Kind, Name = f.Name!, Priority = i, BalanceCents = Core.Payments.Money.ParseCents(f.Balance)!.Value,
            }));
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another node funded them at the same moment (one source per member and position).
        }
    }

    public async Task<IReadOnlyList<Member>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Members.AsNoTracking().OrderBy(m => m.UserId).ToListAsync(ct);
    }

    /// <summary>138****0001: how the consent sheet shows a number.</summary>
    public static string MaskMobile(string mobile) => mobile.Length == 11 ? mobile[..3] + "****" + mobile[7..] : mobile;

    private static Member Make(string userId, string nick, string name, string mobile, string cert, string province, string city, string address, string gender) =>
        new() { UserId = userId, NickName = nick, UserName = name, Mobile = mobile, CertNo = cert, Province = province, City = city, Address = address, Gender = gender };

    /// <summary>
    /// The sandbox's cases for face pay: 小赵 has face pay switched off, 阿强's face needs capturing again, 小雨 looks like
    /// someone else (every face payment asks for all 11 digits); the others pay normally.
    /// </summary>
    private static Member Copy(Member m) => new()
    {
        UserId = m.UserId, NickName = m.NickName, UserName = m.UserName, Mobile = m.Mobile, CertNo = m.CertNo,
        Province = m.Province, City = m.City, Address = m.Address, Gender = m.Gender,
        FacePayEnabled = m.UserId != "2088101117955614",
        FaceStatus = m.UserId == "2088101117955615" ? Core.Payments.FaceStatus.NeedsRecapture : Core.Payments.FaceStatus.Normal,
        LookAlike = m.UserId == "2088101117955616",
    };
}
