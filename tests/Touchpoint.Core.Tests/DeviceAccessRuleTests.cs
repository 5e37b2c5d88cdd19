using Touchpoint.Core.Accounts;
using Touchpoint.Core.Grants;

namespace Touchpoint.Core.Tests;

public class DeviceAccessRuleTests
{
    private const long Owner = 1, Grantee = 2, Stranger = 3, Operator = 9;
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(DeviceOperation.View)]
    [InlineData(DeviceOperation.Poster)]
    [InlineData(DeviceOperation.AppDistribution)]
    [InlineData(DeviceOperation.Broadcast)]
    [InlineData(DeviceOperation.RemoteManagement)]
    [InlineData(DeviceOperation.ManageGrants)]
    public void OwnerMayDoEverything(DeviceOperation op) =>
        Assert.True(DeviceAccessRule.Allows(Owner, AccountRole.Merchant, Owner, GrantPermissions.None, op));

    [Fact]
    public void GranteeMayDoExactlyWhatWasGrantedPlusView()
    {
        var granted = GrantPermissions.AppDistribution;
        Assert.True(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, Owner, granted, DeviceOperation.View));
        Assert.True(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, Owner, granted, DeviceOperation.AppDistribution));
        Assert.False(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, Owner, granted, DeviceOperation.Poster));
        Assert.False(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, Owner, granted, DeviceOperation.Broadcast));
        Assert.False(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, Owner, granted, DeviceOperation.RemoteManagement));
        Assert.False(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, Owner, GrantPermissions.All, DeviceOperation.ManageGrants));
    }

    [Theory]
    [InlineData(DeviceOperation.View)]
    [InlineData(DeviceOperation.Poster)]
    [InlineData(DeviceOperation.ManageGrants)]
    public void StrangerMayDoNothing(DeviceOperation op) =>
        Assert.False(DeviceAccessRule.Allows(Stranger, AccountRole.Merchant, Owner, GrantPermissions.None, op));

    [Fact]
    public void OperatorMayViewButNotOperate()
    {
        Assert.True(DeviceAccessRule.Allows(Operator, AccountRole.Operator, Owner, GrantPermissions.None, DeviceOperation.View));
        Assert.True(DeviceAccessRule.Allows(Operator, AccountRole.Operator, null, GrantPermissions.None, DeviceOperation.View));
        Assert.False(DeviceAccessRule.Allows(Operator, AccountRole.Operator, Owner, GrantPermissions.None, DeviceOperation.RemoteManagement));
    }

    [Fact]
    public void UnownedDeviceIsOpenToNobodyButTheOperator() =>
        Assert.False(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, null, GrantPermissions.All, DeviceOperation.View));

    [Fact]
    public void EffectiveIgnoresExpiredRevokedAndPreviousOwnersGrants()
    {
        Grant G(long owner, GrantPermissions p, DateTime? expires = null, DateTime? revoked = null) =>
            new() { OwnerId = owner, GranteeId = Grantee, Permissions = p, ExpiresAtUtc = expires, RevokedAtUtc = revoked };
        var grants = new[]
        {
            G(Owner, GrantPermissions.Poster),
            G(Owner, GrantPermissions.AppDistribution, expires: Now.AddDays(1)),
            G(Owner, GrantPermissions.Broadcast, expires: Now),                     // ends exactly now: no longer active
            G(Owner, GrantPermissions.RemoteManagement, revoked: Now.AddHours(-1)),
            G(Stranger, GrantPermissions.All),                                        // issued by a previous owner
        };
        Assert.Equal(GrantPermissions.Poster | GrantPermissions.AppDistribution, DeviceAccessRule.Effective(grants, Owner, Now));
    }

    [Fact]
    public void GrantsStopCountingWhenOwnershipMoves()
    {
        var grants = new[] { new Grant { OwnerId = Owner, GranteeId = Grantee, Permissions = GrantPermissions.All } };
        Assert.Equal(GrantPermissions.None, DeviceAccessRule.Effective(grants, Stranger, Now));
    }
}
