using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Issuance;

public class CertificateIssuerTests
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    private TestCaHierarchy _ec = null!;
    private TestCaHierarchy _rsa = null!;
    private TempDirectory _files = null!;
    private DateTimeOffset _now;
    private Org.BouncyCastle.X509.X509Certificate _requester = null!;
    private CertificateProfile _profile = null!;

    [OneTimeSetUp]
    public void CreateCas()
    {
        // Close to the real clock, so that openssl verify (which uses it) agrees with the fake "now".
        _now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddMilliseconds(250);
        _ec = TestCaHierarchy.Create(TestKeyType.EcP256, "Issuer EC");
        _rsa = TestCaHierarchy.Create(TestKeyType.Rsa2048, "Issuer RSA");
        _files = new TempDirectory();
        using X509Certificate2 requester = TestCertificates.CreateClient(_ec.IssuingCertificate, "CN=requester");
        _requester = new Org.BouncyCastle.X509.X509Certificate(requester.RawData);
        _profile = ModelProfiles.Device("devices", new TrustAnchors("none", []));
    }

    [OneTimeTearDown]
    public void DisposeCas()
    {
        _ec.Dispose();
        _rsa.Dispose();
        _files.Dispose();
    }

    [Test]
    public void Issue_EcCsr_CertificateHasDeviceExtensions()
    {
        TestCsr csr = TestCsr.Create("CN=ec-device, O=EstServer Tests", TestKeyType.EcP256, ["ec-device.example", "alt.example"]);

        using X509Certificate2 certificate = Issue(_ec, csr).Certificate;

        var basic = Extension<X509BasicConstraintsExtension>(certificate, "2.5.29.19");
        var usage = Extension<X509KeyUsageExtension>(certificate, "2.5.29.15");
        var eku = Extension<X509EnhancedKeyUsageExtension>(certificate, "2.5.29.37");
        var ski = Extension<X509SubjectKeyIdentifierExtension>(certificate, "2.5.29.14");
        var aki = Extension<X509AuthorityKeyIdentifierExtension>(certificate, "2.5.29.35");
        var san = Extension<X509SubjectAlternativeNameExtension>(certificate, "2.5.29.17");
        var caSki = Extension<X509SubjectKeyIdentifierExtension>(_ec.IssuingCertificate, "2.5.29.14");
        var expectedSki = new X509SubjectKeyIdentifierExtension(certificate.PublicKey, X509SubjectKeyIdentifierHashAlgorithm.Sha1, false);
        Assert.Multiple(() =>
        {
            Assert.That(certificate.Version, Is.EqualTo(3));
            Assert.That(certificate.SubjectName.RawData, Is.EqualTo(new X500DistinguishedName("CN=ec-device, O=EstServer Tests").RawData), "subject copied as encoded");
            Assert.That(certificate.IssuerName.RawData, Is.EqualTo(_ec.IssuingCertificate.SubjectName.RawData));
            Assert.That(certificate.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(((ECDsa)csr.Key!).ExportSubjectPublicKeyInfo()));
            Assert.That(basic.Critical, Is.True, "basicConstraints critical");
            Assert.That(basic.CertificateAuthority, Is.False, "cA FALSE");
            Assert.That(usage.Critical, Is.True, "keyUsage critical");
            Assert.That(usage.KeyUsages, Is.EqualTo(X509KeyUsageFlags.DigitalSignature));
            Assert.That(eku.Critical, Is.False);
            Assert.That(eku.EnhancedKeyUsages.Cast<Oid>().Select(oid => oid.Value), Is.EqualTo(new[] { ClientAuth }));
            Assert.That(ski.SubjectKeyIdentifier, Is.EqualTo(expectedSki.SubjectKeyIdentifier), "RFC 5280 §4.2.1.2 method 1");
            Assert.That(aki.KeyIdentifier?.ToArray(), Is.EqualTo(caSki.SubjectKeyIdentifierBytes.ToArray()), "AKI is the issuing CA's SKI");
            Assert.That(san.Critical, Is.False, "the subject is not empty");
            Assert.That(san.EnumerateDnsNames(), Is.EqualTo(new[] { "ec-device.example", "alt.example" }));
        });
    }

    [Test]
    public void Issue_EcCsr_SignatureVerifiesWithCaKey()
    {
        using X509Certificate2 certificate = Issue(_ec, TestCsr.Create("CN=verify-device")).Certificate;

        using ECDsa caKey = _ec.IssuingCertificate.GetECDsaPublicKey()!;
        (byte[] tbs, byte[] signature) = SplitCertificate(certificate.RawData);

        Assert.Multiple(() =>
        {
            Assert.That(caKey.VerifyData(tbs, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence), Is.True);
            Assert.That(certificate.SignatureAlgorithm.Value, Is.EqualTo("1.2.840.10045.4.3.2"), "ecdsa-with-SHA256 for a P-256 CA");
            Assert.That(BuildChain(_ec, certificate), Is.Empty, "the platform chain engine accepts it");
        });
    }

    [Test]
    public void Issue_EcCsr_OpenSslTextShowsDeviceExtensions()
    {
        TestCsr csr = TestCsr.Create("CN=openssl-device, O=EstServer Tests", TestKeyType.EcP256, ["openssl-device.example"]);
        (IssuedCertificate issued, X509Certificate2 certificate) = Issue(_ec, csr);
        using (certificate)
        {
            string text = OpenSsl.RunOk("x509", "-in", _files.Write($"{issued.SerialHex}.pem", TestCertificates.Pem(issued.Der)), "-text", "-noout");

            string caSki = Colons(Extension<X509SubjectKeyIdentifierExtension>(_ec.IssuingCertificate, "2.5.29.14").SubjectKeyIdentifierBytes.ToArray());
            Assert.Multiple(() =>
            {
                Assert.That(text, Does.Match(@"Version: 3 \(0x2\)"));
                Assert.That(text, Does.Match(@"X509v3 Basic Constraints: critical\s+CA:FALSE"));
                Assert.That(text, Does.Match(@"X509v3 Key Usage: critical\s+Digital Signature\s*\n"));
                Assert.That(text, Does.Match(@"X509v3 Extended Key Usage: ?\s+TLS Web Client Authentication\s*\n"));
                Assert.That(text, Does.Match(@"X509v3 Subject Key Identifier: ?\s+[0-9A-F]{2}(:[0-9A-F]{2}){19}"));
                Assert.That(text, Does.Match(@"X509v3 Authority Key Identifier: ?\s+(keyid:)?" + Regex.Escape(caSki) + @"\s*\n"));
                Assert.That(text, Does.Match(@"X509v3 Subject Alternative Name: ?\s+DNS:openssl-device\.example\s*\n"));
                // .NET writes "CN=.., O=.." in RFC 4514 order, so the encoded RDN sequence starts with O.
                Assert.That(text, Does.Contain("Subject: O = EstServer Tests, CN = openssl-device"));
                Assert.That(text, Does.Contain("Signature Algorithm: ecdsa-with-SHA256"));
                Assert.That(text, Does.Not.Contain("Key Encipherment"));
            });
        }
    }

    [TestCase(TestKeyType.EcP256)]
    [TestCase(TestKeyType.EcP384)]
    [TestCase(TestKeyType.Rsa2048)]
    [TestCase(TestKeyType.Ed25519)]
    public void Issue_EachAcceptedKeyType_OpenSslVerifiesForClientAuth(TestKeyType keyType)
    {
        (IssuedCertificate issued, X509Certificate2 certificate) = Issue(_ec, TestCsr.Create($"CN=verify-{keyType}", keyType, ["verify.example"]));
        certificate.Dispose();

        Assert.That(OpenSslVerify(_ec, issued.Der), Does.EndWith(": OK\n"));
    }

    [Test]
    public void Issue_RsaCsr_KeyUsageAddsKeyEncipherment()
    {
        (IssuedCertificate issued, X509Certificate2 certificate) = Issue(_ec, TestCsr.Create("CN=rsa-device", TestKeyType.Rsa2048));
        using (certificate)
        {
            string text = OpenSsl.RunOk("x509", "-in", _files.Write($"{issued.SerialHex}.pem", TestCertificates.Pem(issued.Der)), "-text", "-noout");

            Assert.Multiple(() =>
            {
                Assert.That(
                    Extension<X509KeyUsageExtension>(certificate, "2.5.29.15").KeyUsages,
                    Is.EqualTo(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment));
                Assert.That(text, Does.Match(@"X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment"));
            });
        }
    }

    [Test]
    public void Issue_Ed25519Csr_KeyUsageIsDigitalSignatureOnly()
    {
        using X509Certificate2 certificate = Issue(_ec, TestCsr.Create("CN=ed-device", TestKeyType.Ed25519)).Certificate;

        Assert.Multiple(() =>
        {
            Assert.That(certificate.PublicKey.Oid.Value, Is.EqualTo("1.3.101.112"));
            Assert.That(Extension<X509KeyUsageExtension>(certificate, "2.5.29.15").KeyUsages, Is.EqualTo(X509KeyUsageFlags.DigitalSignature));
        });
    }

    [Test]
    public void Issue_EmptySubjectWithSan_SanIsCriticalAndOpenSslStrictAccepts()
    {
        (IssuedCertificate issued, X509Certificate2 certificate) = Issue(_ec, TestCsr.Create(string.Empty, dnsNames: ["nameless.example"]));
        using (certificate)
        {
            var san = Extension<X509SubjectAlternativeNameExtension>(certificate, "2.5.29.17");

            Assert.Multiple(() =>
            {
                Assert.That(certificate.SubjectName.RawData, Is.EqualTo(new byte[] { 0x30, 0x00 }), "an empty Name");
                Assert.That(san.Critical, Is.True, "RFC 5280 §4.2.1.6");
                Assert.That(san.EnumerateDnsNames(), Is.EqualTo(new[] { "nameless.example" }));
                Assert.That(OpenSslVerify(_ec, issued.Der), Does.EndWith(": OK\n"));
            });
        }
    }

    [Test]
    public void Issue_CsrWithoutSan_HasNoSanExtension()
    {
        using X509Certificate2 certificate = Issue(_ec, TestCsr.Create("CN=no-san")).Certificate;

        Assert.That(certificate.Extensions["2.5.29.17"], Is.Null);
    }

    [Test]
    public void Issue_DefaultProfile_ValidityIsProfileValidityWithBackdate()
    {
        (IssuedCertificate issued, X509Certificate2 certificate) = Issue(_ec, TestCsr.Create("CN=validity"));
        using (certificate)
        {
            DateTimeOffset wholeSecond = DateTimeOffset.FromUnixTimeSeconds(_now.ToUnixTimeSeconds());

            Assert.Multiple(() =>
            {
                Assert.That(certificate.NotBefore.ToUniversalTime(), Is.EqualTo(wholeSecond.AddMinutes(-5).UtcDateTime));
                Assert.That(certificate.NotAfter.ToUniversalTime(), Is.EqualTo(wholeSecond.AddDays(365).UtcDateTime));
                Assert.That(issued.NotAfter, Is.EqualTo(wholeSecond.AddDays(365).UtcDateTime));
            });
        }
    }

    [Test]
    public void Issue_CaExpiringBeforeProfileValidity_NotAfterClampedToCaAndOpenSslAccepts()
    {
        using TestCaHierarchy shortLived = TestCaHierarchy.Create(TestKeyType.EcP256, "Short Lived", issuingNotAfter: _now.AddDays(10));

        (IssuedCertificate issued, X509Certificate2 certificate) = Issue(shortLived, TestCsr.Create("CN=clamped"));
        using (certificate)
        {
            Assert.Multiple(() =>
            {
                Assert.That(certificate.NotAfter, Is.EqualTo(shortLived.IssuingCertificate.NotAfter));
                Assert.That(OpenSslVerify(shortLived, issued.Der), Does.EndWith(": OK\n"));
            });
        }
    }

    [Test]
    public void Issue_AnyCsr_SerialIsPositiveSixteenOctetsAndReportedInHex()
    {
        (IssuedCertificate issued, X509Certificate2 certificate) = Issue(_ec, TestCsr.Create("CN=serial"));
        using (certificate)
        {
            byte[] serial = certificate.SerialNumberBytes.ToArray();

            Assert.Multiple(() =>
            {
                Assert.That(serial, Has.Length.EqualTo(16), "at least 64 bits, here 126 random bits in 16 octets");
                Assert.That(serial[0], Is.InRange(0x40, 0x7F), "positive, with no leading zero octet");
                Assert.That(issued.SerialHex, Is.EqualTo(certificate.SerialNumber.ToLowerInvariant()));
            });
        }
    }

    [Test]
    public void Issue_SameCsrTwice_SerialsDiffer()
    {
        TestCsr csr = TestCsr.Create("CN=twice");

        (IssuedCertificate first, X509Certificate2 a) = Issue(_ec, csr);
        (IssuedCertificate second, X509Certificate2 b) = Issue(_ec, csr);
        a.Dispose();
        b.Dispose();

        Assert.That(second.SerialHex, Is.Not.EqualTo(first.SerialHex));
    }

    [Test]
    public void Issue_AnyCsr_IssuedCertificateDescribesCertificate()
    {
        (IssuedCertificate issued, X509Certificate2 certificate) = Issue(_ec, TestCsr.Create("CN=described, O=EstServer Tests"));
        using (certificate)
        {
            Assert.Multiple(() =>
            {
                Assert.That(issued.Der, Is.EqualTo(certificate.RawData));
                Assert.That(issued.Subject, Does.Contain("CN=described").And.Contain("O=EstServer Tests"));
                Assert.That(issued.NotAfter, Is.EqualTo(certificate.NotAfter.ToUniversalTime()));
            });
        }
    }

    [Test]
    public void Issue_RsaCa_SignsWithSha256RsaAndOpenSslVerifies()
    {
        (IssuedCertificate issued, X509Certificate2 certificate) = Issue(_rsa, TestCsr.Create("CN=under-rsa-ca", dnsNames: ["rsa-ca.example"]));
        using (certificate)
        {
            using RSA caKey = _rsa.IssuingCertificate.GetRSAPublicKey()!;
            (byte[] tbs, byte[] signature) = SplitCertificate(certificate.RawData);

            Assert.Multiple(() =>
            {
                Assert.That(certificate.SignatureAlgorithm.Value, Is.EqualTo("1.2.840.113549.1.1.11"));
                Assert.That(caKey.VerifyData(tbs, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), Is.True);
                Assert.That(BuildChain(_rsa, certificate), Is.Empty);
                Assert.That(OpenSslVerify(_rsa, issued.Der), Does.EndWith(": OK\n"));
            });
        }
    }

    [Test]
    public void Issue_P384Ca_SignsWithEcdsaSha384()
    {
        using TestCaHierarchy p384 = TestCaHierarchy.Create(TestKeyType.EcP384, "P384");

        (IssuedCertificate issued, X509Certificate2 certificate) = Issue(p384, TestCsr.Create("CN=under-p384"));
        using (certificate)
        {
            Assert.Multiple(() =>
            {
                Assert.That(certificate.SignatureAlgorithm.Value, Is.EqualTo("1.2.840.10045.4.3.3"));
                Assert.That(OpenSslVerify(p384, issued.Der), Does.EndWith(": OK\n"));
            });
        }
    }

    [Test]
    public void Issue_ProfileWithoutExtendedKeyUsages_OmitsEku()
    {
        CertificateProfile profile = _profile with { ExtendedKeyUsages = [] };

        using X509Certificate2 certificate = Issue(_ec, TestCsr.Create("CN=no-eku"), profile).Certificate;

        Assert.That(certificate.Extensions["2.5.29.37"], Is.Null);
    }

    [Test]
    public void Issue_ProfileWithSeveralUsages_CopiesThemAll()
    {
        CertificateProfile profile = _profile with
        {
            ExtendedKeyUsages = [ClientAuth, "1.3.6.1.5.5.7.3.1"],
            KeyUsage = Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature | Org.BouncyCastle.Asn1.X509.KeyUsage.KeyAgreement,
        };

        using X509Certificate2 certificate = Issue(_ec, TestCsr.Create("CN=usages"), profile).Certificate;

        Assert.Multiple(() =>
        {
            Assert.That(
                Extension<X509EnhancedKeyUsageExtension>(certificate, "2.5.29.37").EnhancedKeyUsages.Cast<Oid>().Select(oid => oid.Value),
                Is.EqualTo(new[] { ClientAuth, "1.3.6.1.5.5.7.3.1" }));
            Assert.That(
                Extension<X509KeyUsageExtension>(certificate, "2.5.29.15").KeyUsages,
                Is.EqualTo(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement));
        });
    }

    [Test]
    public void Issue_CsrRequestingCaPowers_CertificateIsStillEndEntity()
    {
        // Only the subjectAltName is taken from the CSR's extensionRequest; a device asking to become
        // a CA, or for certificate-signing key usage, gets the profile's end-entity extensions.
        TestCsr request = TestCsr.For("CN=ambitious-device")
            .Extension(new X509BasicConstraintsExtension(true, false, 0, true))
            .Extension(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true))
            .Extension(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], false))
            .Build();

        Result<CertificationRequest> csr = CsrDecoder.Decode(request.Der);
        Assert.That(csr.IsSuccess, Is.True, csr.Error?.Reason);
        Result<CertificateTemplate> template = CertificateTemplateBuilder.Build(csr.Value, _profile, EnrollmentKind.Enroll, _requester, _ec.Ca, _now);
        Assert.That(template.IsSuccess, Is.True, template.Error?.Reason);
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(_ec.Issuer.Issue(template.Value).Der);

        Assert.Multiple(() =>
        {
            Assert.That(Extension<X509BasicConstraintsExtension>(certificate, "2.5.29.19").CertificateAuthority, Is.False);
            Assert.That(Extension<X509KeyUsageExtension>(certificate, "2.5.29.15").KeyUsages, Is.EqualTo(X509KeyUsageFlags.DigitalSignature));
            Assert.That(
                Extension<X509EnhancedKeyUsageExtension>(certificate, "2.5.29.37").EnhancedKeyUsages.Cast<Oid>().Select(oid => oid.Value),
                Is.EqualTo(new[] { ClientAuth }));
            Assert.That(certificate.Extensions.Cast<X509Extension>().Select(e => e.Oid!.Value), Is.Unique, "each extension once");
        });
    }

    private (IssuedCertificate Issued, X509Certificate2 Certificate) Issue(TestCaHierarchy pki, TestCsr csr, CertificateProfile? profile = null)
    {
        Result<CertificationRequest> request = CsrDecoder.Decode(csr.Der);
        Assert.That(request.IsSuccess, Is.True, request.Error?.Reason);
        Result<CertificateTemplate> template = CertificateTemplateBuilder.Build(
            request.Value, profile ?? _profile, EnrollmentKind.Enroll, _requester, pki.Ca, _now);
        Assert.That(template.IsSuccess, Is.True, template.Error?.Reason);

        IssuedCertificate issued = pki.Issuer.Issue(template.Value);
        return (issued, X509CertificateLoader.LoadCertificate(issued.Der));
    }

    private string OpenSslVerify(TestCaHierarchy pki, byte[] leafDer)
    {
        (string root, string issuing) = pki.WritePem(_files);
        string leaf = _files.Write($"leaf-{Guid.NewGuid():N}.pem", TestCertificates.Pem(leafDer));
        return OpenSsl.RunOk("verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", root, "-untrusted", issuing, leaf);
    }

    private X509ChainStatus[] BuildChain(TestCaHierarchy pki, X509Certificate2 leaf)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(pki.Root);
        chain.ChainPolicy.ExtraStore.Add(pki.IssuingCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _now.UtcDateTime;
        chain.Build(leaf);
        return chain.ChainStatus;
    }

    private static T Extension<T>(X509Certificate2 certificate, string oid)
        where T : X509Extension
    {
        X509Extension? extension = certificate.Extensions[oid];
        Assert.That(extension, Is.InstanceOf<T>(), $"extension {oid}");
        return (T)extension!;
    }

    private static (byte[] Tbs, byte[] Signature) SplitCertificate(byte[] der)
    {
        var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        byte[] tbs = reader.ReadEncodedValue().ToArray();
        _ = reader.ReadEncodedValue();
        return (tbs, reader.ReadBitString(out _));
    }

    private static string Colons(byte[] bytes) => string.Join(':', bytes.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
}
