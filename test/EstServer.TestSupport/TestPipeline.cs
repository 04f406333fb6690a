using EstServer.Core.Csr;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Trust;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstServer.TestSupport;

/// <summary>The enrollment pipeline as the server wires it, over a test's profiles and CA.</summary>
public static class TestPipeline
{
    /// <param name="signer">The CA key, for a pipeline that signs; null for a keyless host's.</param>
    public static EnrollmentPipeline Create(
        ProfileCatalog catalog,
        IssuingCa ca,
        ICertificateSigner? signer,
        TimeProvider time,
        WeakKeyCheck? weakKeys = null,
        IKeyRegistry? keyRegistry = null,
        ILogger<EnrollmentPipeline>? logger = null,
        ILogger<IssuanceRecorder>? auditLogger = null) =>
        Create(new FixedProfileCatalogProvider(catalog), ca, signer, time, weakKeys, keyRegistry, logger, auditLogger);

    public static EnrollmentPipeline Create(
        IProfileCatalogProvider profiles,
        IssuingCa ca,
        ICertificateSigner? signer,
        TimeProvider time,
        WeakKeyCheck? weakKeys = null,
        IKeyRegistry? keyRegistry = null,
        ILogger<EnrollmentPipeline>? logger = null,
        ILogger<IssuanceRecorder>? auditLogger = null)
    {
        SigningPhases? signing = signer is null
            ? null
            : new SigningPhases(
                new CertificateIssuer(ca, signer),
                new IssuanceRecorder(auditLogger ?? NullLogger<IssuanceRecorder>.Instance),
                keyRegistry is null ? null : new DuplicateKeyCheck(keyRegistry));
        return new EnrollmentPipeline(
            profiles,
            new RequesterCheck(time, new IssuedCertificateTrust(ca.ChainDer)),
            new KeyChecks(weakKeys ?? WeakKeyCheck.None),
            ca,
            time,
            logger ?? NullLogger<EnrollmentPipeline>.Instance,
            signing);
    }
}
