using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Lifecycle;
using EstServer.Host.Tests.Support;
using EstServer.Store;
using EstServer.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.X509;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// The CRL (RFC 5280 §5, DER, RFC 2585 media type) and caIssuers certificate routes on the dev PKI with
/// the CA key in process, so the CRL publisher runs; and the CDP/AIA addresses issued certificates carry.
/// </summary>
[TestFixture]
public sealed class RevocationRoutesTests
{
    private EstHostFactory _factory = null!;
    private HttpClient _client = null!;
    private string _keyId = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _factory = RevocationHost.Create();
        _client = _factory.CreateClientPresenting(null);
        _keyId = RevocationHost.IssuingCaKeyId(_factory);
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task Crl_IssuingCaKeyId_Returns200DerCrlOfTheIssuingCaWithItsNumberAsETag()
    {
        using HttpResponseMessage response = await GetCrlAsync($"/crl/{_keyId}.crl");
        byte[] der = await response.Content.ReadAsByteArrayAsync();

        X509Crl crl = RevocationHost.ReadCrl(der);
        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificate(RevocationHost.IssuingCaDer(_factory));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pkix-crl"));
            Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{RevocationHost.CrlNumber(crl)}\""));
            Assert.That(response.Headers.CacheControl?.MaxAge, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(crl.IssuerDN.ToString(), Is.EqualTo(new Org.BouncyCastle.X509.X509Certificate(issuing.RawData).SubjectDN.ToString()));
            Assert.DoesNotThrow(() => crl.Verify(new Org.BouncyCastle.X509.X509Certificate(issuing.RawData).GetPublicKey()), "signed by the issuing CA");
        }
    }

    [Test]
    public async Task Crl_UpperCaseKeyId_Returns200()
    {
        using HttpResponseMessage response = await GetCrlAsync($"/crl/{_keyId.ToUpperInvariant()}.CRL");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Crl_Head_Returns200WithoutBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, EstWire.Path($"/crl/{_keyId}.crl"));

        using HttpResponseMessage response = await _client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentLength, Is.GreaterThan(0));
            Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Empty);
        }
    }

    [TestCase("/crl/00112233.crl")]
    [TestCase("/crl/crl")]
    public async Task Crl_UnknownKeyId_Returns404NamingThePathThisServerPublishes(string path)
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo($"no CRL here: this server publishes /crl/{_keyId}.crl\n"));
        }
    }

    [TestCase("/crl/{0}.crl")]
    [TestCase("/ca/{0}.crt")]
    public async Task CrlOrCaCertificate_Post_Returns405AllowingGetAndHead(string template)
    {
        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _keyId)), EstWire.Body("x"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(response.Content.Headers.Allow, Is.EqualTo(new[] { "GET", "HEAD" }));
        }
    }

    [Test]
    public async Task CaCertificate_IssuingCaKeyId_Returns200TheIssuingCaDer()
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path($"/ca/{_keyId}.crt"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pkix-cert"));
            Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(RevocationHost.IssuingCaDer(_factory)));
        }
    }

    [Test]
    public async Task CaCertificate_UnknownKeyId_Returns404NamingThePathThisServerPublishes()
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path("/ca/abcdef.crt"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo($"no CA certificate here: this server publishes /ca/{_keyId}.crt\n"));
        }
    }

    [Test]
    public async Task SimpleEnroll_PublicBaseUrlConfigured_IssuesCertificateNamingItsCrlAndOcspAndCaIssuers()
    {
        using X509Certificate2 issued = await RevocationHost.EnrollAsync(_factory, "CN=revocation-cdp");

        X509AuthorityInformationAccessExtension? aia = issued.Extensions.OfType<X509AuthorityInformationAccessExtension>().SingleOrDefault();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RevocationHost.CrlDistributionPoints(issued), Is.EqualTo(new[] { $"{RevocationHost.PublicBase}/crl/{_keyId}.crl" }));
            Assert.That(aia?.EnumerateOcspUris(), Is.EqualTo(new[] { $"{RevocationHost.PublicBase}/ocsp" }));
            Assert.That(aia?.EnumerateCAIssuersUris(), Is.EqualTo(new[] { $"{RevocationHost.PublicBase}/ca/{_keyId}.crt" }));
        }
    }

    [Test]
    public async Task Crl_AfterRevokingAnEnrolledCertificate_ListsItUnderAHigherNumber()
    {
        using X509Certificate2 issued = await RevocationHost.EnrollAsync(_factory, "CN=revocation-crl");
        string serial = RevocationHost.Serial(issued);
        using HttpResponseMessage before = await GetCrlAsync($"/crl/{_keyId}.crl");
        long numberBefore = RevocationHost.CrlNumber(RevocationHost.ReadCrl(await before.Content.ReadAsByteArrayAsync()));

        _factory.Services.GetRequiredService<ICertificateAdmin>().Revoke(serial, RevocationReason.KeyCompromise, DateTimeOffset.UtcNow, "test");
        X509Crl? crl = await RevocationHost.PollAsync(
            async () =>
            {
                using HttpResponseMessage response = await _client.GetAsync(EstWire.Path($"/crl/{_keyId}.crl"));
                return response.IsSuccessStatusCode ? RevocationHost.ReadCrl(await response.Content.ReadAsByteArrayAsync()) : null;
            },
            crl => crl?.GetRevokedCertificate(new Org.BouncyCastle.Math.BigInteger(serial, 16)) is not null,
            TimeSpan.FromSeconds(10));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(crl?.GetRevokedCertificate(new Org.BouncyCastle.Math.BigInteger(serial, 16)), Is.Not.Null, "listed within the publisher's check interval");
            Assert.That(crl is null ? 0 : RevocationHost.CrlNumber(crl), Is.GreaterThan(numberBefore));
        }
    }

    [Test]
    public async Task Crl_StoreUnreachableAndNoCrlCached_Returns503WithRetryAfter()
    {
        using var factory = RevocationHost.Create(services =>
            services.AddSingleton<IRevocationList>(provider => new SwitchableStore(provider.GetRequiredService<SqlCertificateStore>()) { Reachable = false }));
        using HttpClient client = factory.CreateClientPresenting(null);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path($"/crl/{RevocationHost.IssuingCaKeyId(factory)}.crl"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("the CRL is not available yet: the certificate store is unreachable\n"));
        }
    }

    /// <summary>The first CRL is published as the host starts; asks briefly in case the cache read before it.</summary>
    private Task<HttpResponseMessage> GetCrlAsync(string path) => RevocationHost.PollAsync(
        () => _client.GetAsync(EstWire.Path(path)), response => response.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(5));
}
