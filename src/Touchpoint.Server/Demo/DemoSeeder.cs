using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Ownership;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Demo;

/// <summary>
/// Seeds a small, believable platform on first run: one account of each role, two merchants, ~50 devices of
/// several types in several states (owned, granted, in stock, awaiting onboarding), an open purchase order.
/// Deterministic (fixed random seed) so tests can rely on it.
/// </summary>
public sealed class DemoSeeder(IDbContextFactory<TouchpointDb> factory, AccountService accounts, TimeProvider clock,
    IOptions<DemoOptions> options, ILogger<DemoSeeder> logger)
{
    private static readonly string[] Locations =
        ["浙江省杭州市西湖区文三路 90 号", "浙江省杭州市滨江区网商路 699 号", "上海市浦东新区张江路 88 号", "浙江省宁波市鄞州区天童南路 1 号", "江苏省苏州市工业园区星湖街 328 号"];

    private static readonly (DeviceType Type, string Prefix, string Model)[] Kinds =
    [
        (DeviceType.FacePay, "QT", "蜻蜓 F4"), (DeviceType.Tap, "PY", "碰一下 N1"), (DeviceType.CashRegister, "SY", "商米 T2"),
        (DeviceType.Kiosk, "ZD", "自助点餐机 K15"), (DeviceType.ScanBox, "SM", "扫码盒子 B3"),
    ];

    public async Task SeedIfEnabledAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Seed)
        {
            return;
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Accounts.AnyAsync(ct))
        {
            await SeedAsync(db, o.Password, ct);
            logger.LogInformation("Demo data seeded.");
        }
        logger.LogWarning("演示账号（密码均为 {Password}）：{Logins}", o.Password,
            string.Join("，", DemoAccounts.All.Select(a => $"{a.Login}（{a.Role.Chinese()}·{a.Name}）")));
    }

    private async Task SeedAsync(TouchpointDb db, string password, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ids = new Dictionary<string, Account>();
        foreach (var (login, name, role, kind, industry) in DemoAccounts.All)
        {
            ids[login] = await accounts.AddAsync(db, new NewAccount(login, name, role, password, kind, industry, "0571-88880000"), ct);
        }
        await db.SaveChangesAsync(ct);

        var random = new Random(20261124);
        var now = clock.GetUtcNow().UtcDateTime;
        var maker = ids[DemoAccounts.Manufacturer].Id;
        var devices = new List<Device>();
        Device Make(int n, long? owner)
        {
            var (type, prefix, model) = Kinds[n % Kinds.Length];
            var caps = DeviceDefaults.Capabilities(type);
            // Seeded devices have a past but no connection: online is what a real agent says (run.sh starts a few).
            var recent = random.NextDouble() < 0.6;
            var device = new Device
            {
                Sn = $"{prefix}{2026_0000 + n:D8}", Type = type, Model = model, ManufacturerId = maker,
                ShipmentChannel = (ShipmentChannel)(1 + n % 3), TransferType = n % 7 == 0 ? TransferType.Lease : TransferType.Sale,
                OwnerId = owner, OwnershipUpdatedAtUtc = owner is null ? null : now.AddDays(-random.Next(1, 300)).AddMinutes(-random.Next(1440)),
                AndroidVersion = type == DeviceType.ScanBox ? null : random.Next(3) switch { 0 => "9", 1 => "11", _ => "13" },
                AntOs = DeviceDefaults.AntOs(type), Capabilities = caps,
                LastBootAtUtc = now.AddHours(-random.Next(1, 240)), IsOnline = false,
                LastOnlineAtUtc = recent ? now.AddSeconds(-random.Next(5, 120)) : now.AddHours(-random.Next(2, 500)),
                LastOnlineLocation = Locations[random.Next(Locations.Length)],
                NetworkType = random.NextDouble() < 0.7 ? NetworkType.Wifi : NetworkType.Cellular,
                CreatedAtUtc = now.AddDays(-400),
            };
            var apps = new List<DeviceApp>();
            if (caps.HasFlag(DeviceCapabilities.IotSdk))
            {
                apps.Add(new DeviceApp { PackageName = "com.alipay.iot.service", AppName = "支付宝IoT服务", Version = $"3.{random.Next(2, 5)}.{random.Next(0, 9)}" });
            }
            if (type is DeviceType.CashRegister or DeviceType.Kiosk)
            {
                apps.Add(new DeviceApp { PackageName = "com.yundian.pos", AppName = "云点收银台", Version = $"1.{random.Next(2, 6)}.0" });
            }
            if (caps.HasFlag(DeviceCapabilities.Smile))
            {
                apps.Add(new DeviceApp { PackageName = "com.alipay.zoloz.smile", AppName = "刷脸付", Version = $"5.{random.Next(0, 3)}.{random.Next(0, 20)}" });
            }
            device.SetApps(apps);
            devices.Add(device);
            return device;
        }

        for (var n = 1; n <= 24; n++) Make(n, ids[DemoAccounts.Merchant].Id);
        for (var n = 25; n <= 32; n++) Make(n, ids[DemoAccounts.IndividualMerchant].Id);
        for (var n = 33; n <= 36; n++) Make(n, ids[DemoAccounts.ServiceProvider].Id);
        for (var n = 37; n <= 48; n++) Make(n, null);              // stock, for purchase orders
        var pending = Enumerable.Range(49, 4).Select(n => Make(n, null)).ToList(); // awaiting the merchant's authorization
        db.Devices.AddRange(devices);
        await db.SaveChangesAsync(ct);

        var entry = new OnboardingEntry
        {
            ManufacturerId = maker, TargetOwnerId = ids[DemoAccounts.Merchant].Id, IssuedById = ids[DemoAccounts.Operator].Id,
            Note = "2026 年第四季度门店扩张批次", CreatedAtUtc = now.AddDays(-2),
        };
        db.OnboardingEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        foreach (var d in pending)
        {
            d.HeldBy = $"onboarding:{entry.Id}";
            db.OnboardingItems.Add(new OnboardingItem { EntryId = entry.Id, DeviceId = d.Id, Status = OnboardingItemStatus.PendingAuthorization, SubmittedAtUtc = now.AddDays(-1) });
        }

        var merchantDevices = devices.Where(d => d.OwnerId == ids[DemoAccounts.Merchant].Id).ToList();
        db.Grants.Add(new Grant
        {
            OwnerId = ids[DemoAccounts.Merchant].Id, GranteeId = ids[DemoAccounts.ServiceProvider].Id,
            Permissions = GrantPermissions.Poster | GrantPermissions.RemoteManagement, CreatedAtUtc = now.AddDays(-30),
            Note = "门店代运营", Devices = merchantDevices.Take(3).Select(d => new GrantDevice { DeviceId = d.Id }).ToList(),
        });

        var purchaseEntry = new PurchaseEntry
        {
            MerchantId = ids[DemoAccounts.Merchant].Id, IssuedById = ids[DemoAccounts.Operator].Id, Note = "门店设备申购", CreatedAtUtc = now.AddDays(-5),
        };
        db.PurchaseEntries.Add(purchaseEntry);
        await db.SaveChangesAsync(ct);
        db.PurchaseOrders.Add(new PurchaseOrder
        {
            EntryId = purchaseEntry.Id, MerchantId = ids[DemoAccounts.Merchant].Id, DeviceType = DeviceType.Tap, Quantity = 2,
            Status = PurchaseOrderStatus.Submitted, CreatedAtUtc = now.AddDays(-1),
        });
        // 刷脸有礼 and a voice message, so the first face payment at a simulated terminal shows a gift and says a line.
        var merchantId = ids[DemoAccounts.Merchant].Id;
        db.Gifts.Add(new Core.Gifts.Gift
        {
            OwnerId = merchantId, CreatedById = merchantId, CreatedByName = ids[DemoAccounts.Merchant].DisplayName, Name = "新客满减券",
            Kind = Core.Gifts.GiftKind.Coupon, CouponAmountCents = 500, CouponThresholdCents = 3000, CouponValidDays = 30, Stock = 1000,
            MinAmountCents = 1000, TimesPerMember = 1, Period = Core.Gifts.GiftPeriod.Ever, Scope = Core.Gifts.GiftScope.All,
            CreatedAtUtc = now, ModifiedAtUtc = now,
        });
        var welcome = new Core.Broadcasts.VoiceAudio { OwnerId = merchantId, Text = "感谢光临，会员日全场九折", CreatedAtUtc = now };
        db.VoiceAudios.Add(welcome);
        await db.SaveChangesAsync(ct);
        db.DeviceVoices.AddRange(merchantDevices.Take(3).Select(d => new Core.Broadcasts.DeviceVoice
        {
            DeviceId = d.Id, AudioId = welcome.Id, PlayType = Core.Broadcasts.VoicePlayType.Trade, SentById = merchantId, SentAtUtc = now,
        }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
