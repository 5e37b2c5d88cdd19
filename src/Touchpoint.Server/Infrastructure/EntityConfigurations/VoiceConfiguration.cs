using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Broadcasts;
using Touchpoint.Core.Devices;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class VoiceAudioConfiguration : IEntityTypeConfiguration<VoiceAudio>
{
    public void Configure(EntityTypeBuilder<VoiceAudio> b)
    {
        b.Property(a => a.Text).HasMaxLength(VoiceAudio.TextMaxLength);
        b.HasIndex(a => new { a.OwnerId, a.Id });
        b.HasOne<Account>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DeviceVoiceConfiguration : IEntityTypeConfiguration<DeviceVoice>
{
    public void Configure(EntityTypeBuilder<DeviceVoice> b)
    {
        b.Property(v => v.PlayType).HasConversion<string>().HasMaxLength(8);
        // Schedules are the device's wall-clock time, like poster windows.
        b.Property(v => v.StartLocal).HasConversion(new WallClockConverter());
        b.Property(v => v.EndLocal).HasConversion(new WallClockConverter());
        b.Ignore(v => v.Schedule);
        b.HasIndex(v => new { v.DeviceId, v.RemovedAtUtc });
        b.HasIndex(v => v.AudioId);
        b.HasOne<Device>().WithMany().HasForeignKey(v => v.DeviceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<VoiceAudio>().WithMany().HasForeignKey(v => v.AudioId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class VoicePlayConfiguration : IEntityTypeConfiguration<VoicePlay>
{
    public void Configure(EntityTypeBuilder<VoicePlay> b)
    {
        b.Property(p => p.Text).HasMaxLength(200);
        b.Property(p => p.Kind).HasMaxLength(16);
        b.Property(p => p.TradeRef).HasMaxLength(64);
        b.HasIndex(p => new { p.DeviceId, p.Id });
        // broadcast.query asks by the device and the trade.
        b.HasIndex(p => new { p.DeviceId, p.TradeRef });
        b.HasOne<Device>().WithMany().HasForeignKey(p => p.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}
