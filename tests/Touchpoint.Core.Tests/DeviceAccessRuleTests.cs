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
    [InlineData(DeviceOperation.IssueKey)]
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

    private const long Maker = 7;

    [Fact]
    public void TheManufacturerIssuesKeysOnlyWhileTheDeviceHasNoOwner()
    {
        Assert.True(DeviceAccessRule.Allows(Maker, AccountRole.Manufacturer, null, GrantPermissions.None, DeviceOperation.IssueKey, manufacturerId: Maker));
        Assert.False(DeviceAccessRule.Allows(Maker, AccountRole.Manufacturer, Owner, GrantPermissions.None, DeviceOperation.IssueKey, manufacturerId: Maker));
        Assert.False(DeviceAccessRule.Allows(Stranger, AccountRole.Manufacturer, null, GrantPermissions.None, DeviceOperation.IssueKey, manufacturerId: Maker));
        Assert.False(DeviceAccessRule.Allows(Maker, AccountRole.Manufacturer, null, GrantPermissions.None, DeviceOperation.RemoteManagement, manufacturerId: Maker));
    }

    [Fact]
    public void IssuingAKeyIsRemoteManagementForGranteesAndNeverTheOperators()
    {
        Assert.True(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, Owner, GrantPermissions.RemoteManagement, DeviceOperation.IssueKey));
        Assert.False(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, Owner, GrantPermissions.Poster | GrantPermissions.AppDistribution, DeviceOperation.IssueKey));
        Assert.False(DeviceAccessRule.Allows(Operator, AccountRole.Operator, Owner, GrantPermissions.None, DeviceOperation.IssueKey));
        Assert.False(DeviceAccessRule.Allows(Operator, AccountRole.Operator, null, GrantPermissions.None, DeviceOperation.IssueKey));
    }

    [Fact]
    public void OnBehalfOfAnAccountOnlyItsDevicesCount()
    {
        // A provider acting with merchant 1's token: merchant 1's device by its grant, but not its own device.
        Assert.True(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, Owner, GrantPermissions.Poster, DeviceOperation.View, onBehalfOfId: Owner));
        Assert.False(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, Grantee, GrantPermissions.None, DeviceOperation.View, onBehalfOfId: Owner));
        Assert.False(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, Owner, GrantPermissions.None, DeviceOperation.View, onBehalfOfId: Owner));
        Assert.False(DeviceAccessRule.Allows(Grantee, AccountRole.ServiceProvider, Stranger, GrantPermissions.All, DeviceOperation.View, onBehalfOfId: Owner));
    }
}
