using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Tests.Support;
using EstServer.Core.Wire;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Wire;

public class CertsOnlyPkcs7Tests
{
    private const string SignedDataOid = "1.2.840.113549.1.7.2";
    private const string DataOid = "1.2.840.113549.1.7.1";

    private TestCaHierarchy _pki = null!;
    private X509Certificate2 _leaf = null!;
    private byte[][] _chain = [];

    [OneTimeSetUp]
    public void CreateCertificates()
    {
        _pki = TestCaHierarchy.Create(name: "Pkcs7");
        _leaf = TestCertificates.CreateClient(_pki.IssuingCertificate, "CN=pkcs7-leaf");
        _chain = [_leaf.RawData, _pki.IssuingCertificate.RawData, _pki.Root.RawData];
    }

    [OneTimeTearDown]
    public void DisposeCertificates()
    {
        _leaf.Dispose();
        _pki.Dispose();
    }

    [Test]
    public void Encode_ThreeCertificates_DecodeReturnsSameCertificates()
    {
        byte[] pkcs7 = CertsOnlyPkcs7.Encode(_chain);

        IReadOnlyList<byte[]> decoded = CertsOnlyPkcs7.Decode(pkcs7);

        // certificates is a SET OF (RFC 5652 §5.1), which DER sorts, so only membership is promised.
        Assert.That(decoded.Select(Convert.ToHexString), Is.EquivalentTo(_chain.Select(Convert.ToHexString)));
    }

    [Test]
    public void Encode_SingleCertificate_DecodeReturnsIt()
    {
        byte[] pkcs7 = CertsOnlyPkcs7.Encode([_pki.Root.RawData]);

        IReadOnlyList<byte[]> decoded = CertsOnlyPkcs7.Decode(pkcs7);

        Assert.That(decoded, Has.Count.EqualTo(1));
        Assert.That(decoded[0], Is.EqualTo(_pki.Root.RawData));
    }

    [Test]
    public void Encode_Chain_IsDegenerateSignedDataInStrictDer()
    {
        byte[] pkcs7 = CertsOnlyPkcs7.Encode(_chain);

        // Read with the platform's strict DER reader, which also checks the SET OF sort order.
        var outer = new AsnReader(pkcs7, AsnEncodingRules.DER);
        AsnReader contentInfo = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        string contentType = contentInfo.ReadObjectIdentifier();
        AsnReader explicitContent = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
        contentInfo.ThrowIfNotEmpty();
        AsnReader signedData = explicitContent.ReadSequence();
        explicitContent.ThrowIfNotEmpty();

        int version = (int)signedData.ReadInteger();
        AsnReader digestAlgorithms = signedData.ReadSetOf();
        AsnReader encapsulated = signedData.ReadSequence();
        string encapsulatedType = encapsulated.ReadObjectIdentifier();
        bool hasContent = encapsulated.HasData;
        AsnReader certificates = signedData.ReadSetOf(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
        var certificateDers = new List<byte[]>();
        while (certificates.HasData)
        {
            certificateDers.Add(certificates.ReadEncodedValue().ToArray());
        }

        Asn1Tag next = signedData.PeekTag();
        AsnReader signerInfos = signedData.ReadSetOf();
        signedData.ThrowIfNotEmpty();

        Assert.Multiple(() =>
        {
            Assert.That(contentType, Is.EqualTo(SignedDataOid));
            Assert.That(version, Is.EqualTo(1), "RFC 5652 §5.1: version 1 for id-data content, no v2 CRLs or attribute certificates");
            Assert.That(digestAlgorithms.HasData, Is.False, "no signers, so no digest algorithms");
            Assert.That(encapsulatedType, Is.EqualTo(DataOid));
            Assert.That(hasContent, Is.False, "RFC 7030 §4.1.3: eContent is omitted");
            Assert.That(next, Is.EqualTo(Asn1Tag.SetOf), "no crls field between certificates and signerInfos");
            Assert.That(signerInfos.HasData, Is.False, "certs-only has no signerInfos");
            Assert.That(certificateDers.Select(Convert.ToHexString), Is.EquivalentTo(_chain.Select(Convert.ToHexString)));
        });
    }

    [Test]
    public void Encode_Chain_OpenSslPrintsSameCertificates()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("certs.p7b", CertsOnlyPkcs7.Encode(_chain));

        string output = OpenSsl.RunOk("pkcs7", "-inform", "DER", "-in", path, "-print_certs");

        var printed = new X509Certificate2Collection();
        printed.ImportFromPem(output);
        Assert.That(printed.Select(certificate => Convert.ToHexString(certificate.RawData)), Is.EquivalentTo(_chain.Select(Convert.ToHexString)));
    }

    [Test]
    public void Decode_OpenSslCertsOnly_ReturnsItsCertificates()
    {
        using var directory = new TempDirectory();
        string chainPem = directory.Write("chain.pem", string.Concat(_chain.Select(TestCertificates.Pem)));
        string p7b = Path.Combine(directory.Path, "chain.p7b");
        OpenSsl.RunOk("crl2pkcs7", "-nocrl", "-certfile", chainPem, "-outform", "DER", "-out", p7b);

        IReadOnlyList<byte[]> decoded = CertsOnlyPkcs7.Decode(File.ReadAllBytes(p7b));

        Assert.That(decoded.Select(Convert.ToHexString), Is.EquivalentTo(_chain.Select(Convert.ToHexString)));
    }

    [Test]
    public void Decode_ContentInfoOfTypeData_ThrowsFormatException()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(DataOid);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteOctetString(RandomNumberGenerator.GetBytes(8));
            }
        }

        Assert.That(() => CertsOnlyPkcs7.Decode(writer.Encode()), Throws.TypeOf<FormatException>().With.Message.Contains("not signedData"));
    }
}
