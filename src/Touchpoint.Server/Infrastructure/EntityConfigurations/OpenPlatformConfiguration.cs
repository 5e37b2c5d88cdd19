using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class DeveloperAppConfiguration : IEntityTypeConfiguration<DeveloperApp>
{
    public void Configure(EntityTypeBuilder<DeveloperApp> b)
    {
        b.Property(a => a.AppId).HasMaxLength(16);
        b.HasIndex(a => a.AppId).IsUnique();
        b.Property(a => a.Name).HasMaxLength(40);
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.PublicKey).HasMaxLength(1000);
        b.Property(a => a.AesKey).HasMaxLength(400); // sealed
        b.Property(a => a.GatewayUrl).HasMaxLength(500);
        b.Property(a => a.Subscriptions).HasMaxLength(1000);
        b.Property(a => a.FeaturePackages).HasMaxLength(1000);
        b.Property(a => a.CategoryId).HasMaxLength(40);
        b.Property(a => a.LogoUrl).HasMaxLength(500);
        b.Property(a => a.Description).HasMaxLength(200);
        b.Property(a => a.ServicePhone).HasMaxLength(20);
        b.Property(a => a.ServiceEmail).HasMaxLength(100);
        b.Property(a => a.PreviewBackendUrl).HasMaxLength(500);
        b.Ignore(a => a.SubscriptionList);
        b.Ignore(a => a.FeaturePackageList);
        b.Ignore(a => a.BasicInfoComplete);
        b.HasOne<Account>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => a.OwnerId);
    }
}

internal sealed class AppAuthorizationConfiguration : IEntityTypeConfiguration<AppAuthorization>
{
    public void Configure(EntityTypeBuilder<AppAuthorization> b)
    {
        b.Property(a => a.Token).HasMaxLength(400);
        b.Property(a => a.TokenHash).HasMaxLength(64);
        b.HasIndex(a => a.TokenHash).IsUnique();
        b.Ignore(a => a.IsActive);
        b.HasOne<DeveloperApp>().WithMany().HasForeignKey(a => a.MerchantAppId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<DeveloperApp>().WithMany().HasForeignKey(a => a.ThirdPartyAppId).OnDelete(DeleteBehavior.Restrict);
        // Two authorizations racing for the same pair: the second insert fails here, not in a check before it.
        b.HasIndex(a => new { a.MerchantAppId, a.ThirdPartyAppId }).IsUnique()
            .HasFilter("\"RevokedAtUtc\" IS NULL").HasDatabaseName("IX_AppAuthorizations_OneActivePerPair");
    }
}

internal sealed class FieldApplicationConfiguration : IEntityTypeConfiguration<FieldApplication>
{
    public void Configure(EntityTypeBuilder<FieldApplication> b)
    {
        b.Property(a => a.ApiName).HasMaxLength(64);
        b.Property(a => a.FieldName).HasMaxLength(64);
        // Two reviewers deciding at once, or a review racing a withdrawal: the second save finds the status moved.
        b.Property(a => a.Status).IsConcurrencyToken();
        b.Property(a => a.PackageCode).HasMaxLength(64);
        b.Property(a => a.SceneCode).HasMaxLength(64);
        b.Property(a => a.QpsAnswer).HasMaxLength(FieldApplicationRules.MaxAnswerLength);
        b.Property(a => a.CustomerAnswer).HasMaxLength(FieldApplicationRules.MaxAnswerLength);
        b.Property(a => a.Reason).HasMaxLength(500);
        b.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        b.HasOne<DeveloperApp>().WithMany().HasForeignKey(a => a.AppId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<DeveloperApp>().WithMany().HasForeignKey(a => a.OnBehalfThirdPartyAppId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Account>().WithMany().HasForeignKey(a => a.ApplicantAccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(a => a.Media).WithOne().HasForeignKey(m => m.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => new { a.AppId, a.SubmittedAtUtc });
        b.HasIndex(a => new { a.Status, a.SubmittedAtUtc });
        // At most one live application (in review or granted) per app and field, even when two submissions race.
        b.HasIndex(a => new { a.AppId, a.ApiName, a.FieldName }).IsUnique()
            .HasFilter("\"Status\" IN ('Audit', 'Agree')").HasDatabaseName("IX_FieldApplications_OneLivePerField");
    }
}

internal sealed class FieldApplicationMediaConfiguration : IEntityTypeConfiguration<FieldApplicationMedia>
{
    public void Configure(EntityTypeBuilder<FieldApplicationMedia> b)
    {
        b.Property(m => m.Slot).HasMaxLength(16);
        b.Property(m => m.FileName).HasMaxLength(200);
        b.Property(m => m.ContentType).HasMaxLength(100);
    }
}

internal sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> b)
    {
        b.Property(d => d.NotifyId).HasMaxLength(64);
        b.HasIndex(d => d.NotifyId).IsUnique();
        b.Property(d => d.MsgMethod).HasMaxLength(100);
        b.Property(d => d.Url).HasMaxLength(500);
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.HasOne<DeveloperApp>().WithMany().HasForeignKey(d => d.AppId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(d => d.Attempts).WithOne().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        // The worker's claim query: pending rows that are due.
        b.HasIndex(d => new { d.Status, d.NextAttemptAtUtc });
        b.HasIndex(d => new { d.AppId, d.CreatedAtUtc });
    }
}

internal sealed class NotificationAttemptConfiguration : IEntityTypeConfiguration<NotificationAttempt>
{
    public void Configure(EntityTypeBuilder<NotificationAttempt> b) => b.Property(a => a.Outcome).HasMaxLength(300);
}

internal sealed class PlatformKeyConfiguration : IEntityTypeConfiguration<PlatformKey>
{
    public void Configure(EntityTypeBuilder<PlatformKey> b)
    {
        b.Property(k => k.Id).ValueGeneratedNever();
        b.Property(k => k.PrivateKeyPem).HasMaxLength(8000); // sealed
        b.Property(k => k.PublicKey).HasMaxLength(1000);
    }
}
