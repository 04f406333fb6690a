using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Csr;

public class CertificationRequestTests
{
    [Test]
    public void HasEmptySubject_EmptyName_ReturnsTrue()
    {
        Assert.That(Decode(TestCsr.Create(string.Empty, dnsNames: ["x.example"]).Der).HasEmptySubject, Is.True);
    }

    [Test]
    public void HasEmptySubject_NamedSubject_ReturnsFalse()
    {
        Assert.That(Decode(TestCsr.Create("O=Only An Organisation").Der).HasEmptySubject, Is.False);
    }

    [Test]
    public void PublicKeyInfo_DecodedCsr_IsTheCsrKey()
    {
        TestCsr csr = TestCsr.Create("CN=spki", TestKeyType.EcP256);
        byte[] expected = ((System.Security.Cryptography.ECDsa)csr.Key!).ExportSubjectPublicKeyInfo();

        Assert.That(Decode(csr.Der).PublicKeyInfo.GetDerEncoded(), Is.EqualTo(expected));
    }

    private static CertificationRequest Decode(byte[] der)
    {
        Result<CertificationRequest> result = CsrDecoder.Decode(der);
        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        return result.Value;
    }
}
