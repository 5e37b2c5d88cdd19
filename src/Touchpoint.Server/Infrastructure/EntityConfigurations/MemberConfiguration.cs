using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Core.Members;
using Touchpoint.Core.OpenPlatform;

namespace Touchpoint.Server.Infrastructure.EntityConfigurations;

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> b)
    {
        b.Property(m => m.UserId).HasMaxLength(16);
        b.HasIndex(m => m.UserId).IsUnique();
        b.Property(m => m.NickName).HasMaxLength(40);
        b.Property(m => m.UserName).HasMaxLength(40);
        b.Property(m => m.Mobile).HasMaxLength(11);
        // The diagnostics tool finds a member by phone number: one member a number.
        b.HasIndex(m => m.Mobile).IsUnique();
        b.Property(m => m.CertNo).HasMaxLength(18);
        b.Property(m => m.Address).HasMaxLength(200);
        b.Property(m => m.Gender).HasMaxLength(1);
        b.Property(m => m.Province).HasMaxLength(20);
        b.Property(m => m.City).HasMaxLength(20);
        b.Property(m => m.Revision).IsConcurrencyToken();
    }
}

internal sealed class MemberAuthCodeConfiguration : IEntityTypeConfiguration<MemberAuthCode>
{
    public void Configure(EntityTypeBuilder<MemberAuthCode> b)
    {
        b.Property(c => c.CodeHash).HasMaxLength(64);
        b.HasIndex(c => c.CodeHash).IsUnique();
        b.HasOne<Member>().WithMany().HasForeignKey(c => c.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<DeveloperApp>().WithMany().HasForeignKey(c => c.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MemberAccessTokenConfiguration : IEntityTypeConfiguration<MemberAccessToken>
{
    public void Configure(EntityTypeBuilder<MemberAccessToken> b)
    {
        b.Property(t => t.AccessTokenHash).HasMaxLength(64);
        b.HasIndex(t => t.AccessTokenHash).IsUnique();
        b.Property(t => t.RefreshTokenHash).HasMaxLength(64);
        b.HasIndex(t => t.RefreshTokenHash).IsUnique();
        b.HasOne<Member>().WithMany().HasForeignKey(t => t.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<DeveloperApp>().WithMany().HasForeignKey(t => t.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}
