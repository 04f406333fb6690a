using EstServer.Core.Revocation;

namespace EstServer.Host.Pki;

/// <summary>The OCSP signing identity this host found at start-up, or none (<see cref="OcspIdentityLoader"/>).</summary>
public sealed record OcspIdentityHolder(OcspSigningIdentity? Identity);
