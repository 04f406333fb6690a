using EstServer.Core.Lifecycle;

namespace EstServer.Host.Admin;

/// <summary>The answer to a block: the block in force (an earlier one keeps its time and reason) and what this call revoked.</summary>
public sealed record DeviceBlockJson(string DeviceIdentity, DateTimeOffset BlockedAt, string Reason, int RevokedCount, IReadOnlyList<string> RevokedSerials)
{
    public static DeviceBlockJson From(DeviceBlock block) =>
        new(block.DeviceIdentity, block.BlockedAt, block.Reason, block.RevokedSerials.Count, block.RevokedSerials.Select(SerialNumber.ToOpenSsl).ToArray());
}
