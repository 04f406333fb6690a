using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Reenrollment;

/// <summary>A profile's reenroll.gracePeriod: a certificate this CA issued may still renew for a while after it expired.</summary>
[TestFixture]
public sealed class ReenrollGracePeriodTests
{
    private EstTestServer _server = null!;
    private X509Certificate2 _expiredMinutesAgo = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EstTestServer.StartAsync(new()
        {
            Profiles =
            [
                new TestProfile { Name = "e2e-grace", Default = true, Reenroll = "  gracePeriod: 1d\n" },
                new TestProfile { Name = "e2e-no-grace", Labels = ["strict"] },
            ],
        });
        using X509Certificate2 issuing = TestCertificates.LoadPem(_server.Pki.IssuingCaCertificate, _server.Pki.IssuingCaKey);
        var born = new DateTimeOffset(issuing.NotBefore.ToUniversalTime());
        _expiredMinutesAgo = TestCertificates.CreateClient(issuing, "CN=e2e-grace", notBefore: born, notAfter: born.AddMinutes(1), policyOids: [TestProfile.DefaultPolicyOid]);
        Assert.That(_expiredMinutesAgo.NotAfter.ToUniversalTime(), Is.LessThan(DateTime.UtcNow), "precondition: expired");
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _expiredMinutesAgo?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task SimpleReenroll_ExpiredWithinGracePeriod_Returns200()
    {
        using HttpClient client = _server.CreateClient(_expiredMinutesAgo);
        TestCsr csr = TestCsr.Create("CN=e2e-grace");

        using X509Certificate2 renewed = await EstRequests.EnrollAsync(client, EstRequests.SimpleReenroll, csr);

        IssuedCertificateAssert.CertifiesCsr(renewed, csr);
        Assert.That(renewed.NotAfter.ToUniversalTime(), Is.GreaterThan(DateTime.UtcNow.AddDays(30)), "a fresh validity period");
    }

    [Test]
    public async Task SimpleReenroll_ExpiredUnderLabelWithoutGracePeriod_Returns403()
    {
        // The grace period belongs to the profile: the same certificate under a profile without one is expired.
        using HttpClient client = _server.CreateClient(_expiredMinutesAgo);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.Root + "/strict/simplereenroll", TestCsr.Create("CN=e2e-grace"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "expired");
    }

    [Test]
    public async Task SimpleEnroll_ExpiredOperationalCertificate_Returns403()
    {
        // The grace period is for renewal only: simpleenroll still wants a device identity.
        using HttpClient client = _server.CreateClient(_expiredMinutesAgo);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleEnroll, TestCsr.Create("CN=e2e-grace"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden);
    }
}
