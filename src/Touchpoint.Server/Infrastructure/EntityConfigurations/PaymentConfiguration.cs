using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Members;
using Touchpoint.Core.Payments;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class FundingSourceConfiguration : IEntityTypeConfiguration<FundingSource>
{
    public void Configure(EntityTypeBuilder<FundingSource> b)
    {
        b.Property(f => f.Name).HasMaxLength(40);
        // One source per position: two nodes seeding the sandbox at once cannot double a member's money.
        b.HasIndex(f => new { f.MemberId, f.Priority }).IsUnique();
        b.HasOne<Member>().WithMany().HasForeignKey(f => f.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PaymentCodeConfiguration : IEntityTypeConfiguration<PaymentCode>
{
    public void Configure(EntityTypeBuilder<PaymentCode> b)
    {
        b.Property(c => c.CodeHash).HasMaxLength(64);
        b.HasIndex(c => c.CodeHash).IsUnique();
        b.HasIndex(c => c.ExpiresAtUtc);
        b.HasOne<Member>().WithMany().HasForeignKey(c => c.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FaceDailyTotalConfiguration : IEntityTypeConfiguration<FaceDailyTotal>
{
    public void Configure(EntityTypeBuilder<FaceDailyTotal> b)
    {
        b.HasKey(t => new { t.MemberId, t.Day });
        b.HasOne<Member>().WithMany().HasForeignKey(t => t.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TradeConfiguration : IEntityTypeConfiguration<Trade>
{
    public void Configure(EntityTypeBuilder<Trade> b)
    {
        b.Property(t => t.TradeNo).HasMaxLength(32);
        b.HasIndex(t => t.TradeNo).IsUnique();
        b.Property(t => t.OutTradeNo).HasMaxLength(64);
        // Idempotency: one trade per merchant and out_trade_no, whatever races.
        b.HasIndex(t => new { t.SellerId, t.OutTradeNo }).IsUnique();
        b.HasIndex(t => new { t.SellerId, t.CreatedAtUtc });
        b.HasIndex(t => new { t.DeviceId, t.CreatedAtUtc });
        b.HasIndex(t => new { t.MemberId, t.CreatedAtUtc });
        b.Property(t => t.DeviceSn).HasMaxLength(32);
        b.Property(t => t.ProductCode).HasMaxLength(40);
        b.Property(t => t.Subject).HasMaxLength(256);
        b.Property(t => t.StoreId).HasMaxLength(32);
        b.Property(t => t.NotifyUrl).HasMaxLength(512);
        b.Property(t => t.RequestDigest).HasMaxLength(64);
        b.Property(t => t.QrToken).HasMaxLength(64);
        b.HasIndex(t => t.QrToken).IsUnique();
        b.Property(t => t.Revision).IsConcurrencyToken();
        b.HasOne<Account>().WithMany().HasForeignKey(t => t.SellerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Device>().WithMany().HasForeignKey(t => t.DeviceId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Member>().WithMany().HasForeignKey(t => t.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TradeRefundConfiguration : IEntityTypeConfiguration<TradeRefund>
{
    public void Configure(EntityTypeBuilder<TradeRefund> b)
    {
        b.Property(r => r.OutRequestNo).HasMaxLength(64);
        b.HasIndex(r => new { r.TradeId, r.OutRequestNo }).IsUnique();
        b.Property(r => r.Reason).HasMaxLength(256);
        b.HasOne<Trade>().WithMany().HasForeignKey(r => r.TradeId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FaceSessionConfiguration : IEntityTypeConfiguration<FaceSession>
{
    public void Configure(EntityTypeBuilder<FaceSession> b)
    {
        b.Property(s => s.ZimId).HasMaxLength(40);
        b.HasIndex(s => s.ZimId).IsUnique();
        b.Property(s => s.FtokenHash).HasMaxLength(64);
        b.HasIndex(s => s.FtokenHash).IsUnique();
        b.HasIndex(s => new { s.DeviceId, s.Status });
        b.Property(s => s.DeviceSn).HasMaxLength(32);
        b.Property(s => s.OutTradeNo).HasMaxLength(64);
        b.Property(s => s.Subject).HasMaxLength(256);
        b.Property(s => s.NotifyUrl).HasMaxLength(512);
        b.Property(s => s.ErrorCode).HasMaxLength(64);
        b.Property(s => s.ErrorMessage).HasMaxLength(400);
        b.Property(s => s.Source).HasMaxLength(16);
        b.Property(s => s.Revision).IsConcurrencyToken();
        b.HasOne<Device>().WithMany().HasForeignKey(s => s.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FaceCaptureConfiguration : IEntityTypeConfiguration<FaceCapture>
{
    public void Configure(EntityTypeBuilder<FaceCapture> b)
    {
        b.HasIndex(c => new { c.DeviceId, c.AtUtc });
        b.HasIndex(c => new { c.MemberId, c.AtUtc });
        b.HasIndex(c => c.AtUtc);
        b.Property(c => c.ZCode).HasMaxLength(16);
        b.Property(c => c.Reason).HasMaxLength(200);
        b.Property(c => c.Escalation).HasMaxLength(200);
        b.Property(c => c.Result).HasMaxLength(400);
        b.HasOne<FaceSession>().WithMany().HasForeignKey(c => c.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeviceBroadcastConfiguration : IEntityTypeConfiguration<DeviceBroadcast>
{
    public void Configure(EntityTypeBuilder<DeviceBroadcast> b)
    {
        b.Property(x => x.Text).HasMaxLength(200);
        b.HasIndex(x => new { x.DeviceId, x.AtUtc });
        b.HasIndex(x => x.TradeId);
        b.HasOne<Device>().WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}
