using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Ownership;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class OnboardingEntryConfiguration : IEntityTypeConfiguration<OnboardingEntry>
{
    public void Configure(EntityTypeBuilder<OnboardingEntry> b)
    {
        b.Property(e => e.Note).HasMaxLength(200);
        b.HasOne<Account>().WithMany().HasForeignKey(e => e.ManufacturerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Account>().WithMany().HasForeignKey(e => e.TargetOwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(e => e.Items).WithOne().HasForeignKey(i => i.EntryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OnboardingItemConfiguration : IEntityTypeConfiguration<OnboardingItem>
{
    public void Configure(EntityTypeBuilder<OnboardingItem> b)
    {
        b.HasOne<Device>().WithMany().HasForeignKey(i => i.DeviceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(i => new { i.EntryId, i.Status });
        b.HasIndex(i => i.DeviceId);
    }
}

internal sealed class PurchaseEntryConfiguration : IEntityTypeConfiguration<PurchaseEntry>
{
    public void Configure(EntityTypeBuilder<PurchaseEntry> b)
    {
        b.Property(e => e.Note).HasMaxLength(200);
        b.HasOne<Account>().WithMany().HasForeignKey(e => e.MerchantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PurchaseOrderConfiguration : IEntityTypeConfiguration<PurchaseOrder>
{
    public void Configure(EntityTypeBuilder<PurchaseOrder> b)
    {
        b.Property(o => o.ShippingNote).HasMaxLength(200);
        // Ship and cancel both start from Submitted: whichever saves second finds the status moved and fails.
        b.Property(o => o.Status).IsConcurrencyToken();
        b.HasOne<PurchaseEntry>().WithMany().HasForeignKey(o => o.EntryId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(o => o.Devices).WithOne().HasForeignKey(d => d.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(o => new { o.MerchantId, o.CreatedAtUtc });
        b.HasIndex(o => o.Status);
    }
}

internal sealed class PurchaseOrderDeviceConfiguration : IEntityTypeConfiguration<PurchaseOrderDevice>
{
    public void Configure(EntityTypeBuilder<PurchaseOrderDevice> b)
    {
        b.HasKey(d => new { d.OrderId, d.DeviceId });
        b.HasIndex(d => d.DeviceId);
        b.HasOne<Device>().WithMany().HasForeignKey(d => d.DeviceId).OnDelete(DeleteBehavior.Restrict);
    }
}
