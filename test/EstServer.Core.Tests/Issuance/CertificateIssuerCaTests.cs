using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Issuance;
using EstServer.Core.Tests.Support;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Tests.Issuance;

/// <summary>The issuer minting CA certificates and roots, as the development PKI asks it to.</summary>
public class CertificateIssuerCaTests
{
    private static readonly DateTime Start = DateTime.UtcNow.AddMinutes(-5).Date;

    [Test]
    public void IssueSelfSigned_RootTemplate_CaWithoutPathLengthAndNoAuthorityKeyId()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = new EcdsaCertificateSigner(ECDsa.Create(key.ExportParameters(true)));

        IssuedCertificate issued = CertificateIssuer.IssueSelfSigned(Template("CN=Self Root", key, Start.AddYears(10)) with { Ca = new CaConstraints(null) }, signer);
        using X509Certificate2 root = X509CertificateLoader.LoadCertificate(issued.Der);

        var constraints = (X509BasicConstraintsExtension)root.Extensions["2.5.29.19"]!;
        Assert.Multiple(() =>
        {
            Assert.That(root.SubjectName.RawData, Is.EqualTo(root.IssuerName.RawData));
            Assert.That(constraints.CertificateAuthority, Is.True);
            Assert.That(constraints.HasPathLengthConstraint, Is.False);
            Assert.That(constraints.Critical, Is.True);
            Assert.That(root.Extensions["2.5.29.35"], Is.Null, "RFC 5280 §4.2.1.1: a self-signed root may omit authorityKeyIdentifier");
            Assert.That(root.Extensions["2.5.29.14"], Is.Not.Null);
            Assert.That(new IssuingCa([issued.Der]).Matches(signer), Is.True, "signed by its own key");
        });
    }

    [Test]
    public void Issue_CaTemplateWithPathLengthZero_OpenSslVerifiesIntermediate()
    {
        using TestCaHierarchy pki = TestCaHierarchy.Create(name: "Path");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        IssuedCertificate issued = pki.Issuer.Issue(Template("CN=Sub CA", key, Start.AddYears(1)) with { Ca = new CaConstraints(0) });
        using X509Certificate2 sub = X509CertificateLoader.LoadCertificate(issued.Der);

        var constraints = (X509BasicConstraintsExtension)sub.Extensions["2.5.29.19"]!;
        using var files = new TempDirectory();
        (string root, string issuing) = pki.WritePem(files);
        string subPem = files.Write("sub.pem", TestCertificates.Pem(issued.Der));
        Assert.Multiple(() =>
        {
            Assert.That(constraints.CertificateAuthority, Is.True);
            Assert.That(constraints.HasPathLengthConstraint, Is.True);
            Assert.That(constraints.PathLengthConstraint, Is.Zero);
            Assert.That(OpenSsl.RunOk("verify", "-x509_strict", "-CAfile", root, "-untrusted", issuing, subPem), Does.EndWith(": OK\n"));
        });
    }

    [Test]
    public void Issue_TemplateOutlivingCa_NotAfterClampedInCertificateAndResult()
    {
        using TestCaHierarchy pki = TestCaHierarchy.Create(name: "Clamp", issuingNotAfter: DateTimeOffset.UtcNow.AddDays(30));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        IssuedCertificate issued = pki.Issuer.Issue(Template("CN=long-lived", key, Start.AddYears(5)));
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(issued.Der);

        Assert.Multiple(() =>
        {
            Assert.That(certificate.NotAfter.ToUniversalTime(), Is.EqualTo(pki.IssuingCertificate.NotAfter.ToUniversalTime()));
            Assert.That(issued.NotAfter, Is.EqualTo(pki.IssuingCertificate.NotAfter.ToUniversalTime()));
        });
    }

    private static CertificateTemplate Template(string subject, ECDsa key, DateTime notAfter) =>
        new(
            X509Name.GetInstance(Asn1Object.FromByteArray(new X500DistinguishedName(subject).RawData)),
            SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo()),
            SubjectAltNames: null,
            Start,
            notAfter,
            KeyUsage.KeyCertSign | KeyUsage.CrlSign,
            []);
}
