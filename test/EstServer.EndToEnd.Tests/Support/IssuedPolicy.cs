namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// One PolicyInformation of an issued certificate's certificatePolicies extension (RFC 5280 §4.2.1.4):
/// the policy OID, its qualifiers in order (by qualifier OID), the CPS URI and the user notice's
/// explicit text with the ASN.1 string type it was written in.
/// </summary>
public sealed record IssuedPolicy(string Oid, IReadOnlyList<string> QualifierOids, string? Cps, string? Notice, string? NoticeStringType);
