using System.Text.Json.Serialization;

namespace EstServer.Host.Admin;

/// <summary>
/// Source-generated JSON for /admin/v1: no reflection at run time, camelCase names. Unknown members in
/// a request body are refused, so a typo ("reasn") is a 400 rather than a silently default reason.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    WriteIndented = false)]
[JsonSerializable(typeof(CertificateJson))]
[JsonSerializable(typeof(IReadOnlyList<CertificateJson>))]
[JsonSerializable(typeof(DeviceBlockJson))]
[JsonSerializable(typeof(UnblockJson))]
[JsonSerializable(typeof(IReadOnlyList<AuditEntryJson>))]
[JsonSerializable(typeof(RevokeRequestJson))]
[JsonSerializable(typeof(BlockRequestJson))]
internal sealed partial class AdminJsonContext : JsonSerializerContext
{
}
