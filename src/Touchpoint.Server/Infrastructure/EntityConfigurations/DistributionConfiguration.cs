using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Distribution;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class CatalogueAppConfiguration : IEntityTypeConfiguration<CatalogueApp>
{
    public void Configure(EntityTypeBuilder<CatalogueApp> b)
    {
        b.Property(a => a.AppId).HasMaxLength(32);
        b.HasIndex(a => a.AppId).IsUnique();
        b.Property(a => a.Name).HasMaxLength(64);
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(a => a.PackageName).HasMaxLength(Core.DeviceChannel.TelemetryRules.MaxPackage);
        b.Property(a => a.CertificateSha256).HasMaxLength(64);
        b.Property(a => a.Model).HasMaxLength(64);
        b.Property(a => a.Description).HasMaxLength(500);
        b.Property(a => a.Revision).IsConcurrencyToken();
        b.HasOne<Account>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(a => a.Versions).WithOne().HasForeignKey(v => v.CatalogueAppId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => new { a.OwnerId, a.Id });
    }
}

internal sealed class AppVersionConfiguration : IEntityTypeConfiguration<AppVersion>
{
    public void Configure(EntityTypeBuilder<AppVersion> b)
    {
        b.Property(v => v.VersionName).HasMaxLength(Core.DeviceChannel.TelemetryRules.MaxAppVersion);
        b.Property(v => v.OsVersion).HasMaxLength(Core.DeviceChannel.TelemetryRules.MaxAndroidVersion);
        b.Property(v => v.ArtifactSha256).HasMaxLength(64);
        b.Property(v => v.CertificateSha256).HasMaxLength(64);
        b.Property(v => v.SignatureScheme).HasMaxLength(4);
        b.Property(v => v.FileName).HasMaxLength(128);
        b.Property(v => v.ReleaseNotes).HasMaxLength(2000);
        // Two uploads of one version at once: the index keeps one.
        b.HasIndex(v => new { v.CatalogueAppId, v.VersionCode }).IsUnique();
        b.HasIndex(v => v.ArtifactSha256);
    }
}

internal sealed class AppFavoriteConfiguration : IEntityTypeConfiguration<AppFavorite>
{
    public void Configure(EntityTypeBuilder<AppFavorite> b)
    {
        b.HasKey(f => new { f.AccountId, f.CatalogueAppId });
        b.HasOne<Account>().WithMany().HasForeignKey(f => f.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<CatalogueApp>().WithMany().HasForeignKey(f => f.CatalogueAppId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DistributionTaskConfiguration : IEntityTypeConfiguration<DistributionTask>
{
    public void Configure(EntityTypeBuilder<DistributionTask> b)
    {
        b.Property(t => t.Name).HasMaxLength(64);
        b.Property(t => t.Action).HasConversion<string>().HasMaxLength(20);
        b.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(t => t.Source).HasConversion<string>().HasMaxLength(10);
        b.Property(t => t.Remark).HasMaxLength(200);
        b.Property(t => t.StatusReason).HasMaxLength(300);
        b.Property(t => t.Revision).IsConcurrencyToken();
        b.ComplexProperty(t => t.Policy, p => p.ToJson());
        b.HasOne<Account>().WithMany().HasForeignKey(t => t.CreatedById).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(t => t.Items).WithOne().HasForeignKey(i => i.TaskId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(t => new { t.CreatedById, t.Id });
        b.HasIndex(t => t.Status);
    }
}

internal sealed class DistributionTaskItemConfiguration : IEntityTypeConfiguration<DistributionTaskItem>
{
    public void Configure(EntityTypeBuilder<DistributionTaskItem> b)
    {
        b.HasOne<CatalogueApp>().WithMany().HasForeignKey(i => i.CatalogueAppId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppVersion>().WithMany().HasForeignKey(i => i.AppVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DistributionTargetConfiguration : IEntityTypeConfiguration<DistributionTarget>
{
    public void Configure(EntityTypeBuilder<DistributionTarget> b)
    {
        b.Property(t => t.Sn).HasMaxLength(32);
        b.Property(t => t.State).HasConversion<string>().HasMaxLength(12);
        b.Property(t => t.SkipReason).HasConversion<string>().HasMaxLength(32);
        b.Property(t => t.FailureReason).HasConversion<string>().HasMaxLength(32);
        b.Property(t => t.Message).HasMaxLength(500);
        b.Property(t => t.WaitingFor).HasMaxLength(100);
        b.Property(t => t.FromVersion).HasMaxLength(Core.DeviceChannel.TelemetryRules.MaxAppVersion);
        b.Property(t => t.ReportedVersion).HasMaxLength(Core.DeviceChannel.TelemetryRules.MaxAppVersion);
        // Every index here is paid 100,000 times when a task is created, so there are only the ones queries use. ItemId
        // has no foreign key (it would bring an index of its own): the item rows are written with the task and never
        // deleted without it.
        b.HasOne<DistributionTask>().WithMany().HasForeignKey(t => t.TaskId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Device>().WithMany().HasForeignKey(t => t.DeviceId).OnDelete(DeleteBehavior.Cascade);
        // One row per device and app of a task: a device listed twice is one target.
        b.HasIndex(t => new { t.TaskId, t.DeviceId, t.ItemId }).IsUnique();
        // The details page filters by state (and reason) and pages by id; the worker claims pending rows per wave and
        // counts a task by (wave, state) from the index alone; troubleshooting starts from a device.
        b.HasIndex(t => new { t.TaskId, t.State, t.Id });
        b.HasIndex(t => new { t.TaskId, t.Wave, t.State });
        b.HasIndex(t => new { t.DeviceId, t.State });
    }
}

internal sealed class DistributionStepConfiguration : IEntityTypeConfiguration<DistributionStep>
{
    public void Configure(EntityTypeBuilder<DistributionStep> b)
    {
        b.Property(s => s.State).HasConversion<string>().HasMaxLength(12);
        b.Property(s => s.FailureReason).HasConversion<string>().HasMaxLength(32);
        b.Property(s => s.Source).HasMaxLength(10);
        b.Property(s => s.Message).HasMaxLength(500);
        b.HasOne<DistributionTarget>().WithMany().HasForeignKey(s => s.TargetId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => new { s.TargetId, s.Id });
    }
}
