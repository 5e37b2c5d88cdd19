using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Devices;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class DeviceCredentialConfiguration : IEntityTypeConfiguration<DeviceCredential>
{
    public void Configure(EntityTypeBuilder<DeviceCredential> b)
    {
        b.Property(c => c.PublicKey).HasMaxLength(200);
        b.HasOne<Device>().WithMany().HasForeignKey(c => c.DeviceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.DeviceId, c.RevokedAtUtc });
    }
}

internal sealed class DeviceConnectionEventConfiguration : IEntityTypeConfiguration<DeviceConnectionEvent>
{
    public void Configure(EntityTypeBuilder<DeviceConnectionEvent> b)
    {
        b.Property(e => e.Reason).HasMaxLength(40);
        b.Property(e => e.Endpoint).HasMaxLength(64);
        b.HasOne<Device>().WithMany().HasForeignKey(e => e.DeviceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => new { e.DeviceId, e.AtUtc });
    }
}

internal sealed class DeviceCommandConfiguration : IEntityTypeConfiguration<DeviceCommand>
{
    public void Configure(EntityTypeBuilder<DeviceCommand> b)
    {
        b.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Result).HasMaxLength(500);
        b.HasOne<Device>().WithMany().HasForeignKey(c => c.DeviceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.DeviceId, c.Id });
        b.HasIndex(c => new { c.Status, c.ExpiresAtUtc });
        // One open command of a kind per device: two restarts asked at once cannot both be queued.
        b.HasIndex(c => new { c.DeviceId, c.Kind }).IsUnique()
            .HasFilter("\"Status\" IN ('Pending', 'Sent', 'Acknowledged')").HasDatabaseName("IX_DeviceCommands_OneOpenPerKind");
    }
}

internal sealed class SimCardConfiguration : IEntityTypeConfiguration<SimCard>
{
    public void Configure(EntityTypeBuilder<SimCard> b)
    {
        b.Property(c => c.Iccid).HasMaxLength(20);
        b.HasIndex(c => c.Iccid).IsUnique();
        b.Property(c => c.Plan).HasMaxLength(60);
        b.Property(c => c.Status).HasMaxLength(10);
    }
}
