using System.Security.Cryptography;
using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.TestSupport;

/// <summary>
/// Device certificates signed by a real <see cref="CertificateIssuer"/> (so they carry whatever the
/// issuer adds, CDP and AIA included) and recorded in a store, as the signer's pipeline would.
/// </summary>
public static class TestLeaf
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>A clientAuth certificate for a new P-256 key, valid from five minutes before <paramref name="now"/> for a year.</summary>
    public static IssuedCertificate Issue(CertificateIssuer issuer, string subject, DateTimeOffset now)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var template = new CertificateTemplate(
            new X509Name(subject),
            SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo()),
            SubjectAltNames: null,
            NotBefore: now.AddMinutes(-5).UtcDateTime,
            NotAfter: now.AddDays(365).UtcDateTime,
            KeyUsage: KeyUsage.DigitalSignature,
            ExtendedKeyUsages: [ClientAuthOid]);
        return issuer.Issue(template);
    }

    /// <summary>Issues a certificate and records it in <paramref name="store"/> under the issuer's CA.</summary>
    public static IssuedCertificate IssueRecorded(CertificateIssuer issuer, IIssuanceLedger store, string subject, DateTimeOffset now)
    {
        IssuedCertificate issued = Issue(issuer, subject, now);
        CertificateRecord record = TestCertificateRecord.Create(now, subject: subject, issuerKeyId: issuer.Ca.KeyIdHex) with
        {
            Serial = issued.SerialHex,
            Der = issued.Der,
            NotAfter = new DateTimeOffset(issued.NotAfter, TimeSpan.Zero),
        };
        RecordResult result = store.Record(record, claim: null);
        return result is RecordResult.Recorded ? issued : throw new InvalidOperationException($"not recorded: {result}");
    }
}
