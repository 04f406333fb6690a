using EstServer.Core.Csr;
using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Trust;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstServer.TestSupport;

/// <summary>The enrollment pipeline as the server wires it, over a test's profiles, CA and certificate store.</summary>
public static class TestPipeline
{
    /// <param name="signer">The CA key, for a pipeline that signs; null for a keyless host's.</param>
    /// <param name="store">The certificate store; <see cref="TestStore.Shared"/> when not given.</param>
    /// <param name="refuseDuplicateKeys">Whether the record phase claims each key for one identity (Est:DuplicateKeys=refuse).</param>
    public static EnrollmentPipeline Create(
        ProfileCatalog catalog,
        IssuingCa ca,
        ICertificateSigner? signer,
        TimeProvider time,
        WeakKeyCheck? weakKeys = null,
        ICertificateStore? store = null,
        bool refuseDuplicateKeys = false,
        ILogger<EnrollmentPipeline>? logger = null,
        ILogger<IssuanceRecorder>? auditLogger = null) =>
        Create(new FixedProfileCatalogProvider(catalog), ca, signer, time, weakKeys, store, refuseDuplicateKeys, logger, auditLogger);

    public static EnrollmentPipeline Create(
        IProfileCatalogProvider profiles,
        IssuingCa ca,
        ICertificateSigner? signer,
        TimeProvider time,
        WeakKeyCheck? weakKeys = null,
        ICertificateStore? store = null,
        bool refuseDuplicateKeys = false,
        ILogger<EnrollmentPipeline>? logger = null,
        ILogger<IssuanceRecorder>? auditLogger = null)
    {
        ICertificateStore records = store ?? TestStore.Shared.Store;
        SigningPhases? signing = signer is null
            ? null
            : new SigningPhases(
                new CertificateIssuer(ca, signer),
                new IssuanceRecorder(records, ca, time, auditLogger ?? NullLogger<IssuanceRecorder>.Instance),
                refuseDuplicateKeys ? new DuplicateKeyCheck() : null);
        return new EnrollmentPipeline(
            profiles,
            new RequesterCheck(time, new IssuedCertificateTrust(ca.ChainDer), new StandingCheck(records, ca, time, TimeSpan.FromSeconds(5))),
            new KeyChecks(weakKeys ?? WeakKeyCheck.None),
            ca,
            time,
            logger ?? NullLogger<EnrollmentPipeline>.Instance,
            signing);
    }
}
