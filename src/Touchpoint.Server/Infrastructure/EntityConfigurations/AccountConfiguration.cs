using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.Accounts;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> b)
    {
        b.Property(a => a.LoginName).HasMaxLength(64);
        b.HasIndex(a => a.LoginName).IsUnique();
        b.Property(a => a.DisplayName).HasMaxLength(128);
        b.Property(a => a.IndustryCategory).HasMaxLength(64);
        b.Property(a => a.ContactPhone).HasMaxLength(32);
        b.Property(a => a.PasswordHash).HasMaxLength(256);
        b.HasIndex(a => a.Role);
    }
}

internal sealed class ThrottleCounterConfiguration : IEntityTypeConfiguration<Security.ThrottleCounter>
{
    public void Configure(EntityTypeBuilder<Security.ThrottleCounter> b)
    {
        b.HasKey(c => c.Key);
        b.Property(c => c.Key).HasMaxLength(200);
        b.HasIndex(c => c.WindowStartMs);
    }
}
