using System.Formats.Asn1;
using System.Security.Cryptography;
using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Tests.Support;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Tests.Csr;

public class CsrDecoderTests
{
    [TestCase(TestKeyType.EcP256, KeyAlgorithm.Ec)]
    [TestCase(TestKeyType.EcP384, KeyAlgorithm.Ec)]
    [TestCase(TestKeyType.EcP521, KeyAlgorithm.Ec)]
    [TestCase(TestKeyType.Rsa1024, KeyAlgorithm.Rsa)]
    [TestCase(TestKeyType.Rsa2048, KeyAlgorithm.Rsa)]
    [TestCase(TestKeyType.Ed25519, KeyAlgorithm.Ed25519)]
    public void Decode_ValidCsr_ReturnsRequestWithItsParts(TestKeyType keyType, KeyAlgorithm expectedAlgorithm)
    {
        TestCsr csr = TestCsr.Create("CN=decoder-device, O=EstServer Tests", keyType, ["decoder.example", "Second.Example"]);

        Result<CertificationRequest> result = CsrDecoder.Decode(csr.Der);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        CertificationRequest request = result.Value;
        (byte[] info, byte[] signature) = SplitIndependently(csr.Der);
        Assert.Multiple(() =>
        {
            Assert.That(request.Der, Is.EqualTo(csr.Der));
            Assert.That(request.SignedInfo.ToArray(), Is.EqualTo(info), "the signed bytes are those received");
            Assert.That(request.Signature, Is.EqualTo(signature));
            Assert.That(request.Key.Algorithm, Is.EqualTo(expectedAlgorithm));
            Assert.That(request.Subject.GetValueList(X509Name.CN), Is.EqualTo(new[] { "decoder-device" }));
            Assert.That(request.Subject.GetValueList(X509Name.O), Is.EqualTo(new[] { "EstServer Tests" }));
            Assert.That(request.HasEmptySubject, Is.False);
            Assert.That(request.SubjectAltNames, Is.Not.Null);
            Assert.That(
                request.SubjectAltNames!.GetNames().Select(name => (name.TagNo, name.Name.ToString())),
                Is.EqualTo(new[] { (GeneralName.DnsName, "decoder.example"), (GeneralName.DnsName, "Second.Example") }));
        });
    }

    [Test]
    public void Decode_CsrWithoutExtensions_HasNoSubjectAltNames()
    {
        Result<CertificationRequest> result = CsrDecoder.Decode(TestCsr.Create("CN=no-san").Der);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        Assert.That(result.Value.SubjectAltNames, Is.Null);
    }

    [Test]
    public void Decode_EmptySubjectWithSan_ReturnsRequestWithEmptySubject()
    {
        Result<CertificationRequest> result = CsrDecoder.Decode(TestCsr.Create(string.Empty, dnsNames: ["only-san.example"]).Der);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        Assert.Multiple(() =>
        {
            Assert.That(result.Value.HasEmptySubject, Is.True);
            Assert.That(result.Value.SubjectAltNames!.GetNames(), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public void Decode_Garbage_ReturnsBadRequest()
    {
        AssertBadRequest(CsrDecoder.Decode(RandomNumberGenerator.GetBytes(200)), "not valid DER");
    }

    [Test]
    public void Decode_Empty_ReturnsBadRequest()
    {
        AssertBadRequest(CsrDecoder.Decode([]), "not valid DER");
    }

    [Test]
    public void Decode_TruncatedCsr_ReturnsBadRequest()
    {
        byte[] der = TestCsr.Create("CN=truncated").Der;

        AssertBadRequest(CsrDecoder.Decode(der[..^10]), "not valid DER");
    }

    [Test]
    public void Decode_CsrWithTrailingData_ReturnsBadRequest()
    {
        AssertBadRequest(CsrDecoder.Decode([.. TestCsr.Create("CN=trailing").Der, 0x05, 0x00]), "trailing data");
    }

    [Test]
    public void Decode_64KiBOfNestedSequences_ReturnsBadRequestWithoutCrashing()
    {
        AssertBadRequest(CsrDecoder.Decode(Der.Nested(16_000)), "nesting");
    }

    [Test]
    public void Decode_SequenceOfInteger_ReturnsBadRequest()
    {
        AssertBadRequest(CsrDecoder.Decode([0x30, 0x03, 0x02, 0x01, 0x00]), "not a DER PKCS#10 CertificationRequest");
    }

    [Test]
    public void Decode_Certificate_ReturnsBadRequest()
    {
        using var root = TestCertificates.CreateRootCa("CN=Not A CSR");

        // A certificate has the same outer shape as a CSR (to-be-signed, algorithm, signature).
        AssertBadRequest(CsrDecoder.Decode(root.RawData), "not a DER PKCS#10 CertificationRequest");
    }

    [Test]
    public void Decode_CertsOnlyPkcs7_ReturnsBadRequest()
    {
        using var root = TestCertificates.CreateRootCa("CN=Not A CSR Either");

        AssertBadRequest(CsrDecoder.Decode(EstServer.Core.Wire.CertsOnlyPkcs7.Encode([root.RawData])), "not a DER PKCS#10 CertificationRequest");
    }

    [Test]
    public void Decode_NonMinimalOuterLength_ReturnsBadRequest()
    {
        byte[] der = TestCsr.Create("CN=ber").Der;
        // Re-frame the outer SEQUENCE with a length carrying a leading zero octet: BER allows it, DER does not.
        (int headerLength, int contentLength) = (der[1] == 0x81 ? 3 : 4, der.Length - (der[1] == 0x81 ? 3 : 4));
        byte[] ber = Der.Concat([0x30, 0x83, 0x00, (byte)(contentLength >> 8), (byte)contentLength], der[headerLength..]);

        AssertBadRequest(CsrDecoder.Decode(ber), "CSR is not");
    }

    [Test]
    public void Decode_VersionOne_ReturnsBadRequest()
    {
        byte[] der = TestCsr.Create("CN=v2").WithVersion(1).Der;

        AssertBadRequest(CsrDecoder.Decode(der), "version must be v1");
    }

    [Test]
    public void Decode_DeeplyNestedSubjectAltName_ReturnsBadRequestWithoutCrashing()
    {
        // The extension value is an OCTET STRING, opaque to the outer guard; the decoder must guard it again.
        byte[] der = TestCsr.For("CN=device-raw-san").Extension("2.5.29.17", Der.Nested(10_000)).Build().Der;

        AssertBadRequest(CsrDecoder.Decode(der), "subjectAltName is not valid DER");
    }

    [Test]
    public void Decode_EmptySubjectAltName_ReturnsBadRequest()
    {
        byte[] der = TestCsr.For("CN=device-raw-san").Extension("2.5.29.17", [0x30, 0x00]).Build().Der;

        AssertBadRequest(CsrDecoder.Decode(der), "subjectAltName is empty");
    }

    [Test]
    public void Decode_SubjectAltNameThatIsNotGeneralNames_ReturnsBadRequest()
    {
        byte[] der = TestCsr.For("CN=device-raw-san").Extension("2.5.29.17", [0x04, 0x02, 0xAB, 0xCD]).Build().Der;

        AssertBadRequest(CsrDecoder.Decode(der), "subjectAltName is malformed");
    }

    [Test]
    public void Decode_TwoExtensionRequestAttributes_ReturnsBadRequest()
    {
        byte[] der = TestCsr.For("CN=device-attributes").Attributes(new DerSet(new Asn1Encodable[]
        {
            TestCsr.ExtensionRequest("one.example"),
            TestCsr.ExtensionRequest("two.example"),
        })).Build().Der;

        AssertBadRequest(CsrDecoder.Decode(der), "more than one extensionRequest");
    }

    [Test]
    public void Decode_BouncyCastleBuiltCsrWithExtensionRequest_ReadsSubjectAltNames()
    {
        byte[] der = TestCsr.For("CN=device-attributes").Attributes(new DerSet(TestCsr.ExtensionRequest("bc.example"))).Build().Der;

        Result<CertificationRequest> result = CsrDecoder.Decode(der);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        Assert.That(result.Value.SubjectAltNames!.GetNames().Single().Name.ToString(), Is.EqualTo("bc.example"));
    }

    [Test]
    public void Decode_DeeplyNestedRsaKeyBits_ReturnsBadRequestWithoutCrashing()
    {
        // The key bits are a BIT STRING, opaque to the outer guard, yet parsed as DER to read the RSA
        // modulus: 64 KiB of nesting there must be refused, not recursed into.
        byte[] spki = Der.PublicKeyInfo("1.2.840.113549.1.1.1", [0x05, 0x00], Der.Nested(16_000));

        AssertBadRequest(CsrDecoder.Decode(TestCsr.Create("CN=nested-rsa", TestKeyType.Rsa2048).WithRawParts(spki).Der), "CSR");
    }

    [Test]
    public void Decode_RsaKeyBitsThatAreNotRsaPublicKey_ReturnsBadRequest()
    {
        byte[] spki = Der.PublicKeyInfo("1.2.840.113549.1.1.1", [0x05, 0x00], RandomNumberGenerator.GetBytes(64));

        AssertBadRequest(CsrDecoder.Decode(TestCsr.Create("CN=bad-rsa", TestKeyType.Rsa2048).WithRawParts(spki).Der), "CSR");
    }

    [Test]
    public void Decode_RsaKeyBitsOfWrongStructure_ReturnsBadRequest()
    {
        // Valid DER, but a SEQUENCE of one INTEGER instead of (modulus, exponent).
        byte[] spki = Der.PublicKeyInfo("1.2.840.113549.1.1.1", [0x05, 0x00], [0x30, 0x03, 0x02, 0x01, 0x05]);

        AssertBadRequest(CsrDecoder.Decode(TestCsr.Create("CN=bad-rsa", TestKeyType.Rsa2048).WithRawParts(spki).Der), "CSR");
    }

    private static void AssertBadRequest<T>(Result<T> result, string reasonFragment)
    {
        Assert.That(result.IsSuccess, Is.False, "expected a refusal");
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Kind, Is.EqualTo(EstErrorKind.BadRequest));
            Assert.That(result.Error.Reason, Does.Contain(reasonFragment));
        });
    }

    private static (byte[] Info, byte[] Signature) SplitIndependently(byte[] der)
    {
        AsnReader request = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        byte[] info = request.ReadEncodedValue().ToArray();
        _ = request.ReadEncodedValue();
        byte[] signature = request.ReadBitString(out int unusedBits);
        Assert.That(unusedBits, Is.Zero);
        return (info, signature);
    }
}
