namespace EstServer.Core.Profiles;

/// <summary>
/// One entry of the certificatePolicies extension (RFC 5280 §4.2.1.4): the policy a certificate was
/// issued under, with the optional CPS pointer and user notice qualifiers.
/// </summary>
public sealed record CertificatePolicy(string Oid, string? CpsUri = null, string? UserNotice = null);
