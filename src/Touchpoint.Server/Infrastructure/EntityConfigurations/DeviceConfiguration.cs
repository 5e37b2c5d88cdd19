using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Devices;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> b)
    {
        b.Property(d => d.Sn).HasMaxLength(32);
        b.HasIndex(d => d.Sn).IsUnique();
        b.Property(d => d.Model).HasMaxLength(64);
        b.Property(d => d.HeldBy).HasMaxLength(32);
        b.Property(d => d.AndroidVersion).HasMaxLength(Core.DeviceChannel.TelemetryRules.MaxAndroidVersion);
        b.Property(d => d.WifiSsid).HasMaxLength(64);
        b.Property(d => d.SimIccid).HasMaxLength(20);
        b.Property(d => d.SimOperator).HasMaxLength(32);
        b.Property(d => d.LastOnlineLocation).HasMaxLength(Core.DeviceChannel.TelemetryRules.MaxLocation);
        b.Property(d => d.TimeZone).HasMaxLength(Core.DeviceChannel.TelemetryRules.MaxTimeZone);
        b.Property(d => d.AppsSummary).HasMaxLength(Device.AppsSummaryMaxLength).HasDefaultValue("");
        b.Property(d => d.Revision).IsConcurrencyToken();
        b.HasOne<Account>().WithMany().HasForeignKey(d => d.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Account>().WithMany().HasForeignKey(d => d.ManufacturerId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(d => d.Apps).WithOne().HasForeignKey(a => a.DeviceId).OnDelete(DeleteBehavior.Cascade);

        // The device list always starts from one owner (or one grantee's device set) and pages in a
        // chosen order; these indexes serve each sortable column after the owner.
        b.HasIndex(d => new { d.OwnerId, d.Id });
        b.HasIndex(d => new { d.OwnerId, d.Type, d.Id });
        b.HasIndex(d => new { d.OwnerId, d.IsOnline, d.Id });
        b.HasIndex(d => new { d.OwnerId, d.OwnershipUpdatedAtUtc });
        b.HasIndex(d => new { d.OwnerId, d.LastOnlineAtUtc });
        b.HasIndex(d => new { d.OwnerId, d.Sn });
        b.HasIndex(d => new { d.OwnerId, d.Type, d.HeldBy });
    }
}

internal sealed class DeviceAppConfiguration : IEntityTypeConfiguration<DeviceApp>
{
    public void Configure(EntityTypeBuilder<DeviceApp> b)
    {
        b.Property(a => a.PackageName).HasMaxLength(Core.DeviceChannel.TelemetryRules.MaxPackage);
        b.Property(a => a.AppName).HasMaxLength(Core.DeviceChannel.TelemetryRules.MaxAppName);
        b.Property(a => a.Version).HasMaxLength(Core.DeviceChannel.TelemetryRules.MaxAppVersion);
        b.HasIndex(a => new { a.DeviceId, a.PackageName }).IsUnique();
        b.HasIndex(a => new { a.Version, a.DeviceId });
        b.HasIndex(a => new { a.PackageName, a.DeviceId });
    }
}
