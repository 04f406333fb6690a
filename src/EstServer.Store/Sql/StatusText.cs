using EstServer.Core.Lifecycle;

namespace EstServer.Store.Sql;

/// <summary>The status column's spelling ('good' / 'revoked', RFC 6960 §2.2): readable in a SQL shell, checked by the schema.</summary>
internal static class StatusText
{
    public const string Good = "good";

    public const string Revoked = "revoked";

    public static string Of(CertificateStatus status) => status == CertificateStatus.Revoked ? Revoked : Good;

    public static CertificateStatus Parse(string text) => text switch
    {
        Good => CertificateStatus.Good,
        Revoked => CertificateStatus.Revoked,
        _ => throw new InvalidOperationException($"unknown certificate status '{text}' in the store"),
    };
}
