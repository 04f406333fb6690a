using BenchmarkDotNet.Attributes;
using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Queue;
using EstServer.Core.Wire;
using EstServer.TestSupport;

namespace EstServer.Benchmarks;

/// <summary>
/// The issuance path and its parts: decode the base64 body, parse and verify the CSR, apply the
/// profile, build and sign the certificate, encode the certs-only answer. Issue_FullPath is the
/// single-thread issuance rate the keep-alive throughput target refers to.
/// </summary>
[MemoryDiagnoser]
public class IssuanceBenchmarks
{
    private IssuanceFixture _fixture = null!;
    private readonly TestStore _store = TestStore.Sqlite();
    private byte[] _der = null!;
    private CertificationRequest _csr = null!;
    private CertificateTemplate _template = null!;
    private byte[] _certificate = null!;
    private EnrollmentPipeline _pipeline = null!;
    private SigningRequest _checkedJob = null!;
    private SigningRequest _job = null!;

    [Params("ECDSA-P256", "RSA-2048")]
    public string CaKey { get; set; } = "ECDSA-P256";

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new IssuanceFixture(rsaCa: CaKey.StartsWith("RSA", StringComparison.Ordinal));
        _der = _fixture.CsrDer;
        _csr = CsrDecoder.Decode(_der).Value;
        _template = Template(_csr);
        _certificate = _fixture.Issuer.Issue(_template).Der;

        // The pipeline as wired in a signing process (duplicate-key claims on, recorded in a SQLite store), logging to nowhere. An
        // embedded job carries the host's checks; a job from Redis is only bytes and is checked again.
        _pipeline = TestPipeline.Create(
            new ProfileCatalog([_fixture.Profile]), _fixture.Ca, _fixture.Signer, TimeProvider.System, store: _store.Store, refuseDuplicateKeys: true);
        _checkedJob = SigningRequest.For(HostCheck());
        _job = _checkedJob with { Checked = null };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fixture.Dispose();
        _store.Dispose();
    }

    [Benchmark]
    public byte[] DecodeBase64Body()
    {
        EstBase64.TryDecode(_fixture.CsrBody, out byte[] der, out _);
        return der;
    }

    [Benchmark]
    public CertificationRequest ParseCsr() => CsrDecoder.Decode(_der).Value;

    [Benchmark]
    public EstError? VerifyCsrSignature() => CsrSignatureVerifier.Verify(_csr);

    [Benchmark]
    public CertificateTemplate ApplyProfile() => Template(_csr);

    [Benchmark]
    public IssuedCertificate BuildAndSign() => _fixture.Issuer.Issue(_template);

    [Benchmark]
    public CheckedEnrollment HostChecks() => HostCheck();

    /// <summary>The embedded signer: duplicate key, sign, record (the host's checks travel with the job).</summary>
    [Benchmark]
    public SigningOutcome SignerProcessJob() => SigningOutcome.From(_pipeline.Sign(_checkedJob));

    /// <summary>A Redis signer worker: the checks again from the job's bytes, then duplicate key, sign, record.</summary>
    [Benchmark]
    public SigningOutcome WorkerProcessJob() => SigningOutcome.From(_pipeline.Sign(_job));

    [Benchmark]
    public byte[] EncodeCertsOnlyAnswer() => EstBase64.Encode(CertsOnlyPkcs7.Encode([_certificate]));

    [Benchmark(Baseline = true)]
    public byte[] Issue_FullPath()
    {
        EstBase64.TryDecode(_fixture.CsrBody, out byte[] der, out _);
        CertificationRequest csr = CsrDecoder.Decode(der).Value;
        if (CsrSignatureVerifier.Verify(csr) is not null)
        {
            throw new InvalidOperationException("signature");
        }

        IssuedCertificate issued = _fixture.Issuer.Issue(Template(csr));
        return EstBase64.Encode(CertsOnlyPkcs7.Encode([issued.Der]));
    }

    private CheckedEnrollment HostCheck()
    {
        Result<CheckedEnrollment> checkedEnrollment = _pipeline.CheckCsr(
            EnrollmentKind.Enroll, _fixture.Profile, Requester.From(_fixture.Device), _der, DateTimeOffset.UtcNow);
        return checkedEnrollment.IsSuccess ? checkedEnrollment.Value : throw new InvalidOperationException(checkedEnrollment.Error.Reason);
    }

    private CertificateTemplate Template(CertificationRequest csr)
    {
        Result<CertificateTemplate> template = CertificateTemplateBuilder.Build(csr, _fixture.Profile, EnrollmentKind.Enroll, _fixture.ClientCertificate, _fixture.Ca, DateTimeOffset.UtcNow);
        return template.IsSuccess ? template.Value : throw new InvalidOperationException(template.Error.Reason);
    }
}
