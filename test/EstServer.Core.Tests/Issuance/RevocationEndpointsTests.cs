using EstServer.Core.Issuance;

namespace EstServer.Core.Tests.Issuance;

public class RevocationEndpointsTests
{
    private const string KeyId = "0a1b2c3d";

    [TestCase("http://pki.example")]
    [TestCase("http://pki.example/")]
    public void CrlUrl_BaseWithOrWithoutTrailingSlash_JoinsWithOneSlash(string baseUrl)
    {
        var endpoints = new RevocationEndpoints(new Uri(baseUrl));

        Assert.That(endpoints.CrlUrl(KeyId).AbsoluteUri, Is.EqualTo("http://pki.example/crl/0a1b2c3d.crl"));
    }

    [Test]
    public void Urls_BaseWithPath_KeepThePath()
    {
        var endpoints = new RevocationEndpoints(new Uri("https://pki.example:8443/est/"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(endpoints.OcspUrl.AbsoluteUri, Is.EqualTo("https://pki.example:8443/est/ocsp"));
            Assert.That(endpoints.CaIssuersUrl(KeyId).AbsoluteUri, Is.EqualTo("https://pki.example:8443/est/ca/0a1b2c3d.crt"));
            Assert.That(endpoints.CrlUrl(KeyId).AbsoluteUri, Is.EqualTo("https://pki.example:8443/est/crl/0a1b2c3d.crl"));
        }
    }

    [TestCase("ftp://pki.example/")]
    [TestCase("ldap://pki.example/")]
    [TestCase("http://pki.example/?x=1")]
    [TestCase("http://user@pki.example/")]
    public void Constructor_NotAPlainHttpBase_Throws(string baseUrl)
    {
        Assert.That(() => new RevocationEndpoints(new Uri(baseUrl)), Throws.ArgumentException);
    }

    [Test]
    public void Constructor_RelativeUrl_Throws()
    {
        Assert.That(() => new RevocationEndpoints(new Uri("/pki", UriKind.Relative)), Throws.ArgumentException);
    }

    [Test]
    public void CrlUrl_KeyIdNotHex_Throws()
    {
        var endpoints = new RevocationEndpoints(new Uri("http://pki.example"));

        Assert.That(() => endpoints.CrlUrl("../etc"), Throws.ArgumentException);
    }

    [Test]
    public void Equals_SameBaseSpelledWithSlash_AreEqual()
    {
        Assert.That(new RevocationEndpoints(new Uri("http://pki.example/a/")), Is.EqualTo(new RevocationEndpoints(new Uri("http://pki.example/a"))));
    }
}
