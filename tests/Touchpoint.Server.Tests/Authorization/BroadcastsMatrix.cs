using Touchpoint.Core.Grants;
using Touchpoint.Server.Broadcasts;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// 播报运营: a terminal's 到账播报 setting is seen by whoever sees the device (any grant, the operator) and changed only
/// by the owner or a grantee holding 播报运营; the operator does not speak through merchants' terminals.
/// </summary>
public static class BroadcastsMatrix
{
    private const string Announcement = "/api/devices/{sn}/announcement";

    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern        relation                  status
        new("GET",  Announcement,  Owner,                    200),
        new("GET",  Announcement,  GranteeWithPermission,    200),  // any grant sees it
        new("GET",  Announcement,  GranteeWithoutPermission, 403),  // its grant was revoked
        new("GET",  Announcement,  OtherMerchant,            403),
        new("GET",  Announcement,  Operator,                 200),
        new("GET",  Announcement,  Anonymous,                401),
        new("PUT",  Announcement,  Owner,                    200),
        new("PUT",  Announcement,  GranteeWithPermission,    200),  // 播报运营
        new("PUT",  Announcement,  GranteeWithoutPermission, 403),  // every permission but 播报运营
        new("PUT",  Announcement,  OtherMerchant,            403),
        new("PUT",  Announcement,  Operator,                 403),
        new("PUT",  Announcement,  Anonymous,                401),
    ];

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        [$"GET {Announcement}"] = async c => Get($"/api/devices/{await c.DeviceAsync()}/announcement"),
        [$"PUT {Announcement}"] = async c =>
            Json($"/api/devices/{await c.DeviceAsync(GrantPermissions.Broadcast)}/announcement", new AnnouncementEdit(true, 40)),
    };
}
