using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Audit;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Grants;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Distribution;
using Touchpoint.Core.Members;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Core.Ownership;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Infrastructure;

/// <summary>
/// The platform's one database context. Code depends on this type only; <see cref="SqliteTouchpointDb"/>
/// and <see cref="PostgresTouchpointDb"/> exist so that each provider owns its migrations.
/// </summary>
public abstract class TouchpointDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<DeviceApp> DeviceApps => Set<DeviceApp>();
    public DbSet<Grant> Grants => Set<Grant>();
    public DbSet<GrantDevice> GrantDevices => Set<GrantDevice>();
    public DbSet<OnboardingEntry> OnboardingEntries => Set<OnboardingEntry>();
    public DbSet<OnboardingItem> OnboardingItems => Set<OnboardingItem>();
    public DbSet<PurchaseEntry> PurchaseEntries => Set<PurchaseEntry>();
    public DbSet<PurchaseOrder> PurchaseOrders => Set<PurchaseOrder>();
    public DbSet<PurchaseOrderDevice> PurchaseOrderDevices => Set<PurchaseOrderDevice>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DeveloperApp> DeveloperApps => Set<DeveloperApp>();
    public DbSet<AppAuthorization> AppAuthorizations => Set<AppAuthorization>();
    public DbSet<FieldApplication> FieldApplications => Set<FieldApplication>();
    public DbSet<FieldApplicationMedia> FieldApplicationMedia => Set<FieldApplicationMedia>();
    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();
    public DbSet<NotificationAttempt> NotificationAttempts => Set<NotificationAttempt>();
    public DbSet<PlatformKey> PlatformKeys => Set<PlatformKey>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<MemberAuthCode> MemberAuthCodes => Set<MemberAuthCode>();
    public DbSet<MemberAccessToken> MemberAccessTokens => Set<MemberAccessToken>();
    public DbSet<DeviceCredential> DeviceCredentials => Set<DeviceCredential>();
    public DbSet<DeviceConnectionEvent> DeviceConnectionEvents => Set<DeviceConnectionEvent>();
    public DbSet<DeviceCommand> DeviceCommands => Set<DeviceCommand>();
    public DbSet<SimCard> SimCards => Set<SimCard>();
    public DbSet<CatalogueApp> CatalogueApps => Set<CatalogueApp>();
    public DbSet<AppVersion> AppVersions => Set<AppVersion>();
    public DbSet<AppFavorite> AppFavorites => Set<AppFavorite>();
    public DbSet<DistributionTask> DistributionTasks => Set<DistributionTask>();
    public DbSet<DistributionTaskItem> DistributionTaskItems => Set<DistributionTaskItem>();
    public DbSet<DistributionTarget> DistributionTargets => Set<DistributionTarget>();
    public DbSet<DistributionStep> DistributionSteps => Set<DistributionStep>();
    public DbSet<Core.Payments.FundingSource> FundingSources => Set<Core.Payments.FundingSource>();
    public DbSet<Core.Payments.PaymentCode> PaymentCodes => Set<Core.Payments.PaymentCode>();
    public DbSet<Core.Payments.FaceDailyTotal> FaceDailyTotals => Set<Core.Payments.FaceDailyTotal>();
    public DbSet<Core.Payments.Trade> Trades => Set<Core.Payments.Trade>();
    public DbSet<Core.Payments.TradeRefund> TradeRefunds => Set<Core.Payments.TradeRefund>();
    public DbSet<Core.Payments.FaceSession> FaceSessions => Set<Core.Payments.FaceSession>();
    public DbSet<Core.Payments.FaceCapture> FaceCaptures => Set<Core.Payments.FaceCapture>();
    public DbSet<Core.Payments.DeviceBroadcast> DeviceBroadcasts => Set<Core.Payments.DeviceBroadcast>();
    public DbSet<Core.Posters.Poster> Posters => Set<Core.Posters.Poster>();
    public DbSet<Core.Posters.DevicePoster> DevicePosters => Set<Core.Posters.DevicePoster>();
    public DbSet<Core.Posters.PosterSlotEvent> PosterSlotEvents => Set<Core.Posters.PosterSlotEvent>();
    public DbSet<Core.Posters.PosterCampaign> PosterCampaigns => Set<Core.Posters.PosterCampaign>();
    public DbSet<Core.Posters.PosterAd> PosterAds => Set<Core.Posters.PosterAd>();
    public DbSet<Core.Posters.StoreClerk> StoreClerks => Set<Core.Posters.StoreClerk>();
    public DbSet<Core.Gifts.Gift> Gifts => Set<Core.Gifts.Gift>();
    public DbSet<Core.Gifts.GiftDevice> GiftDevices => Set<Core.Gifts.GiftDevice>();
    public DbSet<Core.Gifts.GiftImpression> GiftImpressions => Set<Core.Gifts.GiftImpression>();
    public DbSet<Core.Gifts.MemberCoupon> MemberCoupons => Set<Core.Gifts.MemberCoupon>();
    public DbSet<Core.Broadcasts.VoiceAudio> VoiceAudios => Set<Core.Broadcasts.VoiceAudio>();
    public DbSet<Core.Broadcasts.DeviceVoice> DeviceVoices => Set<Core.Broadcasts.DeviceVoice>();
    public DbSet<Core.Broadcasts.VoicePlay> VoicePlays => Set<Core.Broadcasts.VoicePlay>();
    public DbSet<Security.ThrottleCounter> ThrottleCounters => Set<Security.ThrottleCounter>();
    /// <summary>The Data Protection key ring, shared by every node (auth cookies, sealed secrets).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TouchpointDb).Assembly,
            t => t.Namespace == typeof(EntityConfigurations.AccountConfiguration).Namespace);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every instant is UTC. SQLite hands DateTime back as Unspecified and Npgsql refuses to write
        // Unspecified into timestamptz, so the kind is pinned on the way in and out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}

public sealed class SqliteTouchpointDb(DbContextOptions<SqliteTouchpointDb> options) : TouchpointDb(options);

public sealed class PostgresTouchpointDb(DbContextOptions<PostgresTouchpointDb> options) : TouchpointDb(options);
