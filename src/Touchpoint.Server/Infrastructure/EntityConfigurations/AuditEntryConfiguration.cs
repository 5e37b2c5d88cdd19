using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.Audit;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(e => e.Detail).HasMaxLength(1000);
        b.Property(e => e.DeviceSn).HasMaxLength(32);
        b.HasIndex(e => new { e.VisibleToId, e.Id });
        b.HasIndex(e => e.DeviceId);
    }
}
