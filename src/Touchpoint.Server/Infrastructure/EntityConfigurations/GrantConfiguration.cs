using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Grants;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class GrantConfiguration : IEntityTypeConfiguration<Grant>
{
    public void Configure(EntityTypeBuilder<Grant> b)
    {
        b.Property(g => g.Note).HasMaxLength(200);
        b.HasOne<Account>().WithMany().HasForeignKey(g => g.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Account>().WithMany().HasForeignKey(g => g.GranteeId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(g => g.Devices).WithOne().HasForeignKey(d => d.GrantId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(g => new { g.GranteeId, g.OwnerId });
        b.HasIndex(g => new { g.OwnerId, g.CreatedAtUtc });
    }
}

internal sealed class GrantDeviceConfiguration : IEntityTypeConfiguration<GrantDevice>
{
    public void Configure(EntityTypeBuilder<GrantDevice> b)
    {
        b.HasKey(d => new { d.GrantId, d.DeviceId });
        b.HasIndex(d => d.DeviceId);
        b.HasOne<Device>().WithMany().HasForeignKey(d => d.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}
