using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Queue;
using EstServer.Core.Trust;

namespace EstServer.Core.Authority;

/// <summary>
/// The EST operations as a front end sees them (RFC 7030 §4): everything between "these bytes arrived
/// on this route from this client" and "here is the certificate", independent of HTTP.
/// </summary>
public sealed class EstAuthority(
    IProfileCatalogProvider profiles,
    IssuingCa ca,
    IssuedCertificateTrust issuedTrust,
    ClientCertificateValidator validator,
    ISigningQueue queue,
    EstAuthorityOptions options,
    TimeProvider time,
    WeakKeyCheck? weakKeys = null)
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<CertificateProfile, byte[]> _csrAttributes = [];

    public Result<CertificateProfile> ResolveProfile(string? label) =>
        profiles.Current.TryResolve(label, out CertificateProfile profile)
            ? profile
            : EstError.NotFound(label is null ? "this server serves EST only under a label" : $"unknown EST label '{label}'");

    /// <summary>The certs-only answer to /cacerts (RFC 7030 §4.1).</summary>
    public byte[] CaCertificates() => ca.CertsOnlyDer;

    /// <summary>The CSR Attributes answer (RFC 7030 §4.5, RFC 9908), generated from the profile and kept per profile version.</summary>
    public byte[] CsrAttributes(CertificateProfile profile) => _csrAttributes.GetValue(profile, static p => Profiles.CsrAttributes.Encode(p));

    /// <param name="handshakeChain">The path the TLS handshake built for the certificate, when there was one.</param>
    public Result<ClientIdentity> Authenticate(EnrollmentKind kind, CertificateProfile profile, X509Certificate2? clientCertificate, ClientChain? handshakeChain = null) =>
        kind == EnrollmentKind.Enroll
            ? validator.ValidateDeviceIdentity(clientCertificate, profile.DeviceIdentityAnchors, handshakeChain)
            : validator.ValidateIssuedCertificate(clientCertificate, issuedTrust, profile.Reenroll.GracePeriod, handshakeChain);

    /// <summary>
    /// Checks the CSR as far as can be done without the CA key, so a bad request is refused before it
    /// costs a queue slot, then queues it and waits within the budget.
    /// </summary>
    public async ValueTask<SigningOutcome> EnrollAsync(
        EnrollmentKind kind,
        CertificateProfile profile,
        ClientIdentity client,
        byte[] csrDer,
        CancellationToken cancellationToken)
    {
        Result<CertificationRequest> decoded = CsrDecoder.Decode(csrDer);
        if (!decoded.TryGetValue(out CertificationRequest? csr, out EstError? error))
        {
            return new SigningOutcome.Refused(error);
        }

        // The key policy first: it is cheap, and it keeps absurd keys away from signature verification.
        if ((profile.Keys.Check(csr.Key) ?? weakKeys?.Check(csr.PublicKeyInfo) ?? CsrSignatureVerifier.Verify(csr)) is { } rejected)
        {
            return new SigningOutcome.Refused(rejected);
        }

        var clientCertificate = new Org.BouncyCastle.X509.X509Certificate(client.Certificate.RawData);
        DateTimeOffset now = time.GetUtcNow();
        Result<CertificateTemplate> template = CertificateTemplateBuilder.Build(csr, profile, kind, clientCertificate, ca, now);
        if (!template.IsSuccess)
        {
            return new SigningOutcome.Refused(template.Error);
        }

        byte[] clientDer = client.Certificate.RawData;
        var request = new SigningRequest(
            SigningRequestId.Derive(kind, profile.Name, clientDer, csrDer),
            profile.Name,
            profile.Version,
            kind,
            csrDer,
            clientDer,
            now);
        return await queue.SubmitAsync(request, options.WaitBudget, cancellationToken).ConfigureAwait(false);
    }
}
