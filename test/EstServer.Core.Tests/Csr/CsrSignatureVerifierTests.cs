using System.Security.Cryptography;
using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Csr;

public class CsrSignatureVerifierTests
{
    private static readonly object[] ValidSignatures =
    [
        new object[] { TestKeyType.EcP256, "SHA256" },
        new object[] { TestKeyType.EcP256, "SHA384" },
        new object[] { TestKeyType.EcP256, "SHA512" },
        new object[] { TestKeyType.EcP384, "SHA384" },
        new object[] { TestKeyType.EcP521, "SHA512" },
        new object[] { TestKeyType.Rsa2048, "SHA256" },
        new object[] { TestKeyType.Rsa2048, "SHA384" },
        new object[] { TestKeyType.Rsa2048, "SHA512" },
    ];

    [TestCaseSource(nameof(ValidSignatures))]
    public void Verify_ValidSignature_ReturnsNull(TestKeyType keyType, string hash)
    {
        TestCsr csr = TestCsr.Create("CN=pop-device", keyType, ["pop.example"], new HashAlgorithmName(hash));

        EstError? error = CsrSignatureVerifier.Verify(Decode(csr.Der));

        Assert.That(error, Is.Null, error?.Reason);
    }

    [Test]
    public void Verify_ValidEd25519Signature_ReturnsNull()
    {
        TestCsr csr = TestCsr.Create("CN=ed25519-device", TestKeyType.Ed25519, ["ed.example"]);

        Assert.That(CsrSignatureVerifier.Verify(Decode(csr.Der)), Is.Null);
    }

    [Test]
    public void Verify_ValidRsaPssSignature_ReturnsNull()
    {
        Assert.That(CsrSignatureVerifier.Verify(Decode(TestCsr.For("CN=pss-device").Key(TestKeyType.Rsa2048).RsaPss().Build().Der)), Is.Null);
    }

    [TestCase(TestKeyType.EcP256)]
    [TestCase(TestKeyType.EcP384)]
    [TestCase(TestKeyType.Rsa2048)]
    public void Verify_TamperedSubject_ReturnsProofOfPossessionFailure(TestKeyType keyType)
    {
        TestCsr tampered = TestCsr.Create("CN=honest-device", keyType).WithTamperedSubject("CN=someone-else");
        CertificationRequest csr = Decode(tampered.Der);
        Assert.That(csr.Subject.ToString(), Does.Contain("someone-else"), "the precondition: the request now names the other subject");

        EstError? error = CsrSignatureVerifier.Verify(csr);

        AssertBadRequest(error, "proof of possession failed");
    }

    [Test]
    public void Verify_FlippedSignatureBit_ReturnsFailure()
    {
        byte[] der = TestCsr.Create("CN=flipped", TestKeyType.Rsa2048).Der;
        der[^5] ^= 0x01;

        AssertBadRequest(CsrSignatureVerifier.Verify(Decode(der)), "proof of possession failed");
    }

    [Test]
    public void Verify_FlippedEd25519SignatureBit_ReturnsFailure()
    {
        byte[] der = TestCsr.Create("CN=flipped-ed", TestKeyType.Ed25519).Der;
        der[^5] ^= 0x01;

        EstError? error = CsrSignatureVerifier.Verify(Decode(der));

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Kind, Is.EqualTo(EstErrorKind.BadRequest));
    }

    [Test]
    public void Verify_Sha1RsaSignature_ReturnsBrokenHashError()
    {
        CertificationRequest request = Decode(TestCsr.For("CN=device-bc-rsa").Key(TestKeyType.Rsa2048).SignatureAlgorithm("SHA1withRSA").Build().Der);
        Assert.That(request.SignatureAlgorithm.Algorithm.Id, Is.EqualTo("1.2.840.113549.1.1.5"), "precondition: sha1WithRSAEncryption");

        AssertBadRequest(CsrSignatureVerifier.Verify(request), "broken hash");
    }

    [Test]
    public void Verify_Md5RsaSignature_ReturnsBrokenHashError()
    {
        AssertBadRequest(CsrSignatureVerifier.Verify(Decode(TestCsr.For("CN=device-bc-rsa").Key(TestKeyType.Rsa2048).SignatureAlgorithm("MD5withRSA").Build().Der)), "broken hash");
    }

    [Test]
    public void Verify_RsaPssWithSha1_ReturnsBrokenHashError()
    {
        // RSASSA-PSS carries its hash in the parameters; SHA-1 there is as broken as in sha1WithRSAEncryption.
        CertificationRequest request = Decode(TestCsr.For("CN=device-bc-rsa").Key(TestKeyType.Rsa2048).SignatureAlgorithm("SHA1withRSAandMGF1").Build().Der);
        Assert.That(request.SignatureAlgorithm.Algorithm.Id, Is.EqualTo("1.2.840.113549.1.1.10"), "precondition: id-RSASSA-PSS");

        AssertBadRequest(CsrSignatureVerifier.Verify(request), "broken hash");
    }

    [Test]
    public void Verify_Sha1EcdsaSignature_ReturnsBrokenHashError()
    {
        AssertBadRequest(CsrSignatureVerifier.Verify(Decode(TestCsr.For("CN=device-bc").SignatureAlgorithm("SHA1withECDSA").Build().Der)), "broken hash");
    }

    [Test]
    public void Verify_UnsupportedSignatureAlgorithm_NamesIt()
    {
        // ecdsa-with-SHA224: valid, but not on the verifier's list.
        AssertBadRequest(CsrSignatureVerifier.Verify(Decode(TestCsr.For("CN=device-bc").SignatureAlgorithm("SHA224withECDSA").Build().Der)), "1.2.840.10045.4.3.1 is not supported");
    }

    [Test]
    public void Verify_RsaKeyUnderEcdsaAlgorithm_ReturnsFailure()
    {
        // An RSA request whose algorithm identifier is swapped for ecdsa-with-SHA256 must not verify.
        byte[] der = TestCsr.Create("CN=mixed", TestKeyType.Rsa2048).Der;
        byte[] rsaSha256 = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B];
        byte[] ecdsaSha256 = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];
        byte[] swapped = ReplaceSignatureAlgorithm(der, rsaSha256, ecdsaSha256);

        EstError? error = CsrSignatureVerifier.Verify(Decode(swapped));

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Kind, Is.EqualTo(EstErrorKind.BadRequest));
    }

    [Test]
    public void Verify_EcKeyWithPointNotOnCurve_ReturnsBadRequest()
    {
        byte[] point = new byte[65];
        point[0] = 0x04;
        point[64] = 0x01;
        byte[] spki = Der.PublicKeyInfo("1.2.840.10045.2.1", [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07], point);
        CertificationRequest csr = Decode(TestCsr.Create("CN=bad-point").WithRawParts(spki).Der);

        EstError? error = CsrSignatureVerifier.Verify(csr);

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Kind, Is.EqualTo(EstErrorKind.BadRequest));
    }

    [Test]
    public void Verify_Ed25519KeyOfWrongLength_ReturnsBadRequest()
    {
        // Ed25519 goes to BouncyCastle, whose key and signature exceptions must also end up as a 400.
        byte[] spki = Der.PublicKeyInfo("1.3.101.112", null, RandomNumberGenerator.GetBytes(31));
        CertificationRequest csr = Decode(TestCsr.Create("CN=short-ed", TestKeyType.Ed25519).WithRawParts(spki).Der);

        EstError? error = null;
        Assert.That(() => error = CsrSignatureVerifier.Verify(csr), Throws.Nothing);
        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Kind, Is.EqualTo(EstErrorKind.BadRequest));
    }

    [Test]
    public void Verify_RsaPssWithMalformedParameters_ReturnsBadRequest()
    {
        // id-RSASSA-PSS whose parameters are an INTEGER rather than RSASSA-PSS-params.
        byte[] algorithm = [0x30, 0x0E, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A, 0x02, 0x01, 0x05];
        CertificationRequest csr = Decode(TestCsr.For("CN=bad-pss").Key(TestKeyType.Rsa2048).RsaPss().Build().WithRawParts(signatureAlgorithm: algorithm).Der);

        EstError? error = null;
        Assert.That(() => error = CsrSignatureVerifier.Verify(csr), Throws.Nothing);
        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Kind, Is.EqualTo(EstErrorKind.BadRequest));
    }

    private static CertificationRequest Decode(byte[] der)
    {
        Result<CertificationRequest> result = CsrDecoder.Decode(der);
        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        return result.Value;
    }

    private static void AssertBadRequest(EstError? error, string reasonFragment)
    {
        Assert.That(error, Is.Not.Null, "expected a refusal");
        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(EstErrorKind.BadRequest));
            Assert.That(error.Reason, Does.Contain(reasonFragment));
        });
    }

    /// <summary>Rebuilds the outer SEQUENCE with another signatureAlgorithm; the info and signature are kept.</summary>
    private static byte[] ReplaceSignatureAlgorithm(byte[] der, byte[] oldOid, byte[] newOid)
    {
        var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        ReadOnlyMemory<byte> info = reader.ReadEncodedValue();
        byte[] algorithm = reader.ReadEncodedValue().ToArray();
        ReadOnlyMemory<byte> signature = reader.ReadEncodedValue();
        Assert.That(algorithm.AsSpan().IndexOf(oldOid), Is.EqualTo(2), "precondition: the algorithm identifier starts with the old OID");
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(info.Span);
            using (writer.PushSequence())
            {
                writer.WriteEncodedValue(newOid);
            }

            writer.WriteEncodedValue(signature.Span);
        }

        return writer.Encode();
    }
}
