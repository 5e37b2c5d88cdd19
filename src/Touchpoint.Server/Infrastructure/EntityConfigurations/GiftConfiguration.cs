using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Gifts;
using Touchpoint.Core.Members;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class GiftConfiguration : IEntityTypeConfiguration<Gift>
{
    public void Configure(EntityTypeBuilder<Gift> b)
    {
        b.Property(g => g.Name).HasMaxLength(Gift.NameMaxLength);
        b.Property(g => g.CreatedByName).HasMaxLength(100);
        b.Property(g => g.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(g => g.Period).HasConversion<string>().HasMaxLength(8);
        b.Property(g => g.Scope).HasConversion<string>().HasMaxLength(8);
        b.Property(g => g.Source).HasConversion<string>().HasMaxLength(8);
        b.Property(g => g.MiniAppId).HasMaxLength(32);
        b.Property(g => g.MiniAppPage).HasMaxLength(200);
        b.Property(g => g.ScopeRegion).HasMaxLength(60);
        b.Property(g => g.ScopeModel).HasMaxLength(64);
        b.Property(g => g.SpaceCode).HasMaxLength(64);
        // Campaign windows are the device's wall-clock time, like poster windows.
        b.Property(g => g.StartsLocal).HasConversion(new WallClockConverter());
        b.Property(g => g.EndsLocal).HasConversion(new WallClockConverter());
        // The success page reads a merchant's live gifts on every face payment.
        b.HasIndex(g => new { g.OwnerId, g.StoppedAtUtc });
        b.HasOne<Account>().WithMany().HasForeignKey(g => g.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class GiftDeviceConfiguration : IEntityTypeConfiguration<GiftDevice>
{
    public void Configure(EntityTypeBuilder<GiftDevice> b)
    {
        b.HasKey(d => new { d.GiftId, d.DeviceId });
        b.HasIndex(d => d.DeviceId);
        b.HasOne<Gift>().WithMany().HasForeignKey(d => d.GiftId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Device>().WithMany().HasForeignKey(d => d.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GiftImpressionConfiguration : IEntityTypeConfiguration<GiftImpression>
{
    public void Configure(EntityTypeBuilder<GiftImpression> b)
    {
        b.Property(i => i.ClaimedLocal).HasConversion(new WallClockConverter());
        b.HasIndex(i => new { i.GiftId, i.ClaimedAtUtc });
        // How often a member got a gift: counted per member and gift.
        b.HasIndex(i => new { i.MemberId, i.GiftId });
        b.HasIndex(i => new { i.DeviceId, i.Id });
        b.HasOne<Gift>().WithMany().HasForeignKey(i => i.GiftId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MemberCouponConfiguration : IEntityTypeConfiguration<MemberCoupon>
{
    public void Configure(EntityTypeBuilder<MemberCoupon> b)
    {
        b.Property(c => c.CouponNo).HasMaxLength(32);
        b.Property(c => c.Title).HasMaxLength(60);
        b.HasIndex(c => c.CouponNo).IsUnique();
        // One voucher per claim, whatever races: the second insert for an impression fails.
        b.HasIndex(c => c.ImpressionId).IsUnique();
        b.HasIndex(c => new { c.MemberId, c.IssuedAtUtc });
        b.HasOne<Member>().WithMany().HasForeignKey(c => c.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Gift>().WithMany().HasForeignKey(c => c.GiftId).OnDelete(DeleteBehavior.Restrict);
    }
}
