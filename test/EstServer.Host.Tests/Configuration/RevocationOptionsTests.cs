using EstServer.Host.Configuration;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Tests.Configuration;

/// <summary>
/// "Est:Revocation": which address issued certificates name for CRL and OCSP (RFC 5280 §4.2.1.13,
/// §4.2.2.1), and the validator's one-line messages for settings that cannot work.
/// </summary>
[TestFixture]
public sealed class RevocationOptionsTests
{
    private readonly EstOptionsValidator _validator = new();

    [TestCase("http://pki.example.com", "http://pki.example.com/")]
    [TestCase(" http://pki.example.com/est ", "http://pki.example.com/est")]
    [TestCase("https://pki.example.com:8444", "https://pki.example.com:8444/")]
    public void EffectivePublicBaseUrl_ExplicitUrl_IsThatUrl(string configured, string expected)
    {
        var options = new RevocationOptions { PublicBaseUrl = configured, HttpUrl = "http://0.0.0.0:8080" };

        Assert.That(options.EffectivePublicBaseUrl()?.ToString(), Is.EqualTo(expected));
    }

    [TestCase("http://localhost:8080", "http://localhost:8080/")]
    [TestCase("http://pki.example.com:9080/", "http://pki.example.com:9080/")]
    [TestCase("http://127.0.0.1", "http://127.0.0.1/")]
    [TestCase("http://[::1]:8080", "http://[::1]:8080/")]
    public void EffectivePublicBaseUrl_NamedListener_IsTheListenersAuthority(string httpUrl, string expected)
    {
        var options = new RevocationOptions { HttpUrl = httpUrl };

        Assert.That(options.EffectivePublicBaseUrl()?.ToString(), Is.EqualTo(expected));
    }

    [TestCase("http://*:8080")]
    [TestCase("http://+:8080")]
    [TestCase("http://0.0.0.0:8080")]
    [TestCase("http://[::]:8080")]
    [TestCase("http://localhost:0")]
    public void EffectivePublicBaseUrl_WildcardOrEphemeralListener_IsNull(string httpUrl)
    {
        var options = new RevocationOptions { HttpUrl = httpUrl };

        Assert.That(options.EffectivePublicBaseUrl(), Is.Null);
    }

    [TestCase("off")]
    [TestCase(" OFF ")]
    [TestCase("")]
    public void EffectivePublicBaseUrl_ListenerOffWithoutPublicBase_IsNull(string httpUrl)
    {
        var options = new RevocationOptions { HttpUrl = httpUrl };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.ServesHttp, Is.False);
            Assert.That(options.HttpListenerUri, Is.Null);
            Assert.That(options.EffectivePublicBaseUrl(), Is.Null);
        }
    }

    [Test]
    public void EffectivePublicBaseUrl_ListenerOffWithPublicBase_IsThePublicBase()
    {
        var options = new RevocationOptions { HttpUrl = "off", PublicBaseUrl = "http://crl.example.com" };

        Assert.That(options.EffectivePublicBaseUrl(), Is.EqualTo(new Uri("http://crl.example.com/")));
    }

    [Test]
    public void Validate_RevocationDefaults_Succeed()
    {
        ValidateOptionsResult result = Validate(new RevocationOptions());

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [TestCase("https://localhost:8443")]
    [TestCase("not a url")]
    [TestCase("localhost:8080")]
    [TestCase("ftp://localhost:8080")]
    public void Validate_HttpUrlNotPlainHttp_ReportsHttpUrl(string httpUrl)
    {
        ValidateOptionsResult result = Validate(new RevocationOptions { HttpUrl = httpUrl });

        Assert.That(result.Failures, Is.EqualTo(new[] { "Est:Revocation:HttpUrl must be an http:// address (e.g. http://localhost:8080), or off" }));
    }

    [TestCase("http://localhost:8080/pki")]
    [TestCase("http://localhost:8080/?x=1")]
    [TestCase("http://*:8080/crl/")]
    public void Validate_HttpUrlWithPath_ReportsThatAListenAddressHasNone(string httpUrl)
    {
        ValidateOptionsResult result = Validate(new RevocationOptions { HttpUrl = httpUrl });

        Assert.That(result.Failures, Is.EqualTo(new[] { "Est:Revocation:HttpUrl is a listen address: scheme, host and port only, no path (e.g. http://localhost:8080)" }));
    }

    [TestCase("http://localhost:8080/")]
    [TestCase("http://localhost:8080")]
    public void Validate_HttpUrlWithoutPath_Succeeds(string httpUrl)
    {
        Assert.That(Validate(new RevocationOptions { HttpUrl = httpUrl }).Succeeded, Is.True);
    }

    [TestCase("off")]
    [TestCase("http://*:8080")]
    [TestCase("http://+:8080")]
    [TestCase("http://[::]:8080")]
    public void Validate_HttpUrlOffOrWildcard_Succeeds(string httpUrl)
    {
        ValidateOptionsResult result = Validate(new RevocationOptions { HttpUrl = httpUrl });

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [TestCase("pki.example.com")]
    [TestCase("ftp://pki.example.com")]
    [TestCase("http://pki.example.com/?x=1")]
    [TestCase("garbage url")]
    public void Validate_BadPublicBaseUrl_ReportsPublicBaseUrl(string publicBase)
    {
        ValidateOptionsResult result = Validate(new RevocationOptions { PublicBaseUrl = publicBase });

        Assert.That(result.Failures, Is.EqualTo(new[] { "Est:Revocation:PublicBaseUrl must be an absolute http:// or https:// URL without a query, fragment or user info" }));
    }

    [TestCase("http://pki.example.com/#top")]
    [TestCase("http://user:secret@pki.example.com/")]
    public void Validate_PublicBaseUrlWithFragmentOrUserInfo_ReportsPublicBaseUrl(string publicBase)
    {
        // Certificates cannot name such a URL (RevocationEndpoints refuses it); start-up must say so, not fail later.
        ValidateOptionsResult result = Validate(new RevocationOptions { PublicBaseUrl = publicBase });

        Assert.That(result.Failures, Is.EqualTo(new[] { "Est:Revocation:PublicBaseUrl must be an absolute http:// or https:// URL without a query, fragment or user info" }));
    }

    [TestCase("http://pki.example.com")]
    [TestCase("https://pki.example.com/est/")]
    public void Validate_GoodPublicBaseUrl_Succeeds(string publicBase)
    {
        ValidateOptionsResult result = Validate(new RevocationOptions { PublicBaseUrl = publicBase });

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [TestCase("ocsp.pem", "")]
    [TestCase("", "ocsp.key")]
    public void Validate_OcspCertificateWithoutKeyOrKeyWithoutCertificate_ReportsThePair(string certificate, string key)
    {
        ValidateOptionsResult result = Validate(new RevocationOptions { OcspCertificatePath = certificate, OcspKeyPath = key });

        Assert.That(result.Failures, Is.EqualTo(new[] { "Est:Revocation:OcspCertificatePath and Est:Revocation:OcspKeyPath go together" }));
    }

    [TestCase("00:09:59")]
    [TestCase("30.00:00:01")]
    [TestCase("00:00:00")]
    public void Validate_CrlValidityOutOfBounds_ReportsCrlValidity(string validity)
    {
        ValidateOptionsResult result = Validate(new RevocationOptions { CrlValidity = TimeSpan.Parse(validity, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.That(result.Failures, Is.EqualTo(new[] { "Est:Revocation:CrlValidity must be between 00:10:00 and 30.00:00:00" }));
    }

    [TestCase("00:10:00")]
    [TestCase("30.00:00:00")]
    public void Validate_CrlValidityAtBounds_Succeeds(string validity)
    {
        ValidateOptionsResult result = Validate(new RevocationOptions { CrlValidity = TimeSpan.Parse(validity, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    private ValidateOptionsResult Validate(RevocationOptions revocation) => _validator.Validate(null, new EstOptions { Revocation = revocation });
}
