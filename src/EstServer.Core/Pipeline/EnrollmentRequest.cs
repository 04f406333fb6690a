using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using EstServer.Core.Profiles;
using EstServer.Core.Trust;

namespace EstServer.Core.Pipeline;

/// <summary>
/// An enrollment as a front end receives it: the operation, the route's profile, the TLS client
/// certificate with the path the handshake built for it, and a way to read the CSR. The pipeline reads
/// the CSR only once the requester is known, so a client that is not authenticated learns nothing about
/// how its body would have been parsed.
/// </summary>
public sealed record EnrollmentRequest(
    EnrollmentKind Kind,
    CertificateProfile Profile,
    X509Certificate2? ClientCertificate,
    ClientChain? HandshakeChain,
    Func<CancellationToken, ValueTask<Result<byte[]>>> ReadCsrAsync)
{
    /// <summary>A request whose CSR is already in hand (tests, the dry run).</summary>
    public static EnrollmentRequest WithCsr(EnrollmentKind kind, CertificateProfile profile, X509Certificate2? clientCertificate, byte[] csrDer, ClientChain? handshakeChain = null) =>
        new(kind, profile, clientCertificate, handshakeChain, _ => ValueTask.FromResult<Result<byte[]>>(csrDer));
}
