using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Posters;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class PosterConfiguration : IEntityTypeConfiguration<Poster>
{
    public void Configure(EntityTypeBuilder<Poster> b)
    {
        b.Property(p => p.Name).HasMaxLength(Poster.NameMaxLength);
        b.Property(p => p.ImageSha256).HasMaxLength(64);
        b.Property(p => p.ThumbnailSha256).HasMaxLength(64);
        b.Property(p => p.ContentType).HasMaxLength(16);
        b.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(p => new { p.OwnerId, p.CreatedAtUtc });
        b.HasOne<Account>().WithMany().HasForeignKey(p => p.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DevicePosterConfiguration : IEntityTypeConfiguration<DevicePoster>
{
    public void Configure(EntityTypeBuilder<DevicePoster> b)
    {
        b.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.Path).HasConversion<string>().HasMaxLength(16);
        // Windows are the device's wall-clock time, not instants: stored as written (whatever the server's zone) and
        // read back without a zone, so the schedule says "2026-12-24T00:00:00", never "…Z".
        b.Property(p => p.WindowStart).HasConversion(new WallClockConverter());
        b.Property(p => p.WindowEnd).HasConversion(new WallClockConverter());
        b.Property(p => p.PlacedByName).HasMaxLength(100);
        b.Property(p => p.ClerkPhone).HasMaxLength(20);
        b.Property(p => p.RemovedReason).HasMaxLength(200);
        // The slot check and the schedule read a device's live placements.
        b.HasIndex(p => new { p.DeviceId, p.RemovedAtUtc });
        b.HasIndex(p => p.PosterId);
        b.HasIndex(p => p.CampaignId);
        b.HasIndex(p => p.AdId);
        b.HasIndex(p => p.ClerkId);
        b.HasOne<Device>().WithMany().HasForeignKey(p => p.DeviceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Poster>().WithMany().HasForeignKey(p => p.PosterId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PosterSlotEventConfiguration : IEntityTypeConfiguration<PosterSlotEvent>
{
    public void Configure(EntityTypeBuilder<PosterSlotEvent> b)
    {
        b.Property(e => e.Change).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.Path).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.ActorName).HasMaxLength(100);
        b.Property(e => e.Detail).HasMaxLength(300);
        b.HasIndex(e => new { e.DeviceId, e.AtUtc });
        b.HasOne<Device>().WithMany().HasForeignKey(e => e.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PosterCampaignConfiguration : IEntityTypeConfiguration<PosterCampaign>
{
    public void Configure(EntityTypeBuilder<PosterCampaign> b)
    {
        b.Property(c => c.Name).HasMaxLength(60);
        b.Property(c => c.Region).HasMaxLength(60);
        b.Property(c => c.Model).HasMaxLength(64);
        b.Property(c => c.DeviceType).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.WithdrawReason).HasMaxLength(PosterCampaign.ReasonMaxLength);
        b.Property(c => c.WindowStart).HasConversion(new WallClockConverter());
        b.Property(c => c.WindowEnd).HasConversion(new WallClockConverter());
        b.HasIndex(c => c.CreatedAtUtc);
        b.HasOne<Poster>().WithMany().HasForeignKey(c => c.PosterId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PosterAdConfiguration : IEntityTypeConfiguration<PosterAd>
{
    public void Configure(EntityTypeBuilder<PosterAd> b)
    {
        b.Property(a => a.PlanName).HasMaxLength(PosterAd.PlanNameMaxLength);
        b.Property(a => a.Event).HasMaxLength(16);
        b.Property(a => a.DeviceType).HasMaxLength(32);
        b.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.WindowStart).HasConversion(new WallClockConverter());
        b.Property(a => a.WindowEnd).HasConversion(new WallClockConverter());
        b.HasIndex(a => new { a.OwnerId, a.Id });
        b.HasOne<Poster>().WithMany().HasForeignKey(a => a.PosterId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Account>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>A wall-clock time: kept as its digits on the way in (never shifted by the server's zone), zone-less on the way out.</summary>
internal sealed class WallClockConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Unspecified));

internal sealed class StoreClerkConfiguration : IEntityTypeConfiguration<StoreClerk>
{
    public void Configure(EntityTypeBuilder<StoreClerk> b)
    {
        b.Property(c => c.Name).HasMaxLength(StoreClerk.NameMaxLength);
        b.Property(c => c.Phone).HasMaxLength(11);
        b.Property(c => c.PasswordHash).HasMaxLength(200);
        // The phone is the sign-in name: one clerk per number on the whole platform.
        b.HasIndex(c => c.Phone).IsUnique();
        b.HasIndex(c => c.MerchantId);
        b.HasOne<Account>().WithMany().HasForeignKey(c => c.MerchantId).OnDelete(DeleteBehavior.Restrict);
    }
}
