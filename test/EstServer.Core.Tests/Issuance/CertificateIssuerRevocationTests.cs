using EstServer.Core.Issuance;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace EstServer.Core.Tests.Issuance;

/// <summary>Where issued certificates say to check their revocation (RFC 5280 §4.2.1.13, §4.2.2.1).</summary>
public class CertificateIssuerRevocationTests
{
    private const string CdpOid = "2.5.29.31";
    private const string AiaOid = "1.3.6.1.5.5.7.1.1";

    private TestCaHierarchy _pki = null!;
    private TempDirectory _files = null!;
    private CertificateIssuer _issuer = null!;

    [OneTimeSetUp]
    public void CreateCa()
    {
        _pki = TestCaHierarchy.Create(name: "Pointers");
        _files = new TempDirectory();
        _issuer = new CertificateIssuer(_pki.Ca, _pki.Signer, new RevocationEndpoints(new Uri("http://pki.example:8080/")));
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _files.Dispose();
        _pki.Dispose();
    }

    [Test]
    public void Issue_WithEndpoints_OpenSslShowsCdpAndAia()
    {
        IssuedCertificate issued = TestLeaf.Issue(_issuer, "CN=pointed", DateTimeOffset.UtcNow);
        string path = _files.Write("pointed.pem", TestCertificates.Pem(issued.Der));

        string text = OpenSsl.RunOk("x509", "-in", path, "-noout", "-text");

        string keyId = _pki.Ca.KeyIdHex;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("X509v3 CRL Distribution Points"));
            Assert.That(text, Does.Contain($"URI:http://pki.example:8080/crl/{keyId}.crl"));
            Assert.That(text, Does.Contain("OCSP - URI:http://pki.example:8080/ocsp"));
            Assert.That(text, Does.Contain($"CA Issuers - URI:http://pki.example:8080/ca/{keyId}.crt"));
        }
    }

    [Test]
    public void Issue_WithEndpoints_ExtensionsAreNonCritical()
    {
        var certificate = new X509Certificate(TestLeaf.Issue(_issuer, "CN=noncritical", DateTimeOffset.UtcNow).Der);

        Assert.That(certificate.GetNonCriticalExtensionOids(), Is.SupersetOf(new[] { CdpOid, AiaOid }));
    }

    [Test]
    public void Issue_WithoutEndpoints_HasNeitherExtension()
    {
        var certificate = new X509Certificate(TestLeaf.Issue(_pki.Issuer, "CN=plain", DateTimeOffset.UtcNow).Der);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(certificate.GetExtensionValue(new DerObjectIdentifier(CdpOid)), Is.Null);
            Assert.That(certificate.GetExtensionValue(new DerObjectIdentifier(AiaOid)), Is.Null);
        }
    }

    [Test]
    public void Issue_TemplateCopiesAnOldCdp_OnlyOursRemains()
    {
        var oldName = new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, "http://old.example/old.crl"));
        var oldCdp = new CrlDistPoint([new DistributionPoint(new DistributionPointName(oldName), null, null)]);
        IssuedCertificate template = TestLeaf.Issue(_pki.Issuer, "CN=renewed", DateTimeOffset.UtcNow);
        var original = new X509Certificate(template.Der);
        var copied = new CertificateTemplate(
            original.SubjectDN,
            original.CertificateStructure.SubjectPublicKeyInfo,
            null,
            original.NotBefore,
            original.NotAfter,
            KeyUsage.DigitalSignature,
            [])
        {
            CopiedExtensions = [(CdpOid, new X509Extension(false, new DerOctetString(oldCdp)))],
        };

        var certificate = new X509Certificate(_issuer.Issue(copied).Der);

        var cdp = CrlDistPoint.GetInstance(certificate.GetExtensionParsedValue(new DerObjectIdentifier(CdpOid)));
        string uri = GeneralNames.GetInstance(cdp.GetDistributionPoints().Single().DistributionPointName.Name).GetNames().Single().Name.ToString()!;
        Assert.That(uri, Is.EqualTo(_issuer.Endpoints!.CrlUrl(_pki.Ca.KeyIdHex).AbsoluteUri));
    }
}
