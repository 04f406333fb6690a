using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// Each EST label is served by the profile that claims it (RFC 7030 §3.2.2), the unlabelled route by the
/// profile marked default: the issued certificate carries that profile's policy OID.
/// </summary>
[TestFixture]
public sealed class EstEndpointsProfileRoutingTests
{
    private const string AlphaOid = "2.999.10.1";
    private const string BetaOid = "2.999.20.2";

    private EstHostFactory _withDefault = null!;
    private EstHostFactory _withoutDefault = null!;

    [OneTimeSetUp]
    public void StartServers()
    {
        _withDefault = new EstHostFactory(profiles:
        [
            new TestProfile { Name = "alpha", Labels = ["alpha", "alpha2"], Default = true, PolicyOid = AlphaOid },
            new TestProfile { Name = "beta", Labels = ["beta"], PolicyOid = BetaOid },
        ]);
        _withoutDefault = new EstHostFactory(profiles:
        [
            new TestProfile { Name = "alpha", Labels = ["alpha"], PolicyOid = AlphaOid },
            new TestProfile { Name = "beta", Labels = ["beta"], PolicyOid = BetaOid },
        ]);
    }

    [OneTimeTearDown]
    public void StopServers()
    {
        _withoutDefault.Dispose();
        _withDefault.Dispose();
    }

    [TestCase("alpha", AlphaOid)]
    [TestCase("alpha2", AlphaOid)]
    [TestCase("beta", BetaOid)]
    public async Task SimpleEnroll_UnderALabel_CarriesThatLabelsProfilePolicy(string label, string oid)
    {
        using X509Certificate2 issued = await EnrollAsync(_withDefault, $"/.well-known/est/{label}/simpleenroll", $"CN=routed-{label}");

        Assert.That(IssuedCertificates.PolicyOids(issued), Is.EqualTo(new[] { oid }));
    }

    [Test]
    public async Task SimpleEnroll_Unlabelled_IsServedByTheDefaultProfile()
    {
        using X509Certificate2 issued = await EnrollAsync(_withDefault, "/.well-known/est/simpleenroll", "CN=routed-default");

        Assert.That(IssuedCertificates.PolicyOids(issued), Is.EqualTo(new[] { AlphaOid }));
    }

    [TestCase("alpha", "alpha", AlphaOid)]
    [TestCase("alpha", "alpha2", AlphaOid)]
    [TestCase("beta", "beta", BetaOid)]
    public async Task SimpleReenroll_UnderALabelOfTheProfileItWasIssuedUnder_CarriesThatProfilesPolicy(string enrolledUnder, string renewedUnder, string oid)
    {
        using X509Certificate2 current = await EnrollAsync(_withDefault, $"/.well-known/est/{enrolledUnder}/simpleenroll", $"CN=routed-renewal-{renewedUnder}");
        using HttpClient client = _withDefault.CreateClientPresenting(current);

        using HttpResponseMessage response = await client.PostAsync(
            EstWire.Path($"/.well-known/est/{renewedUnder}/simplereenroll"), EstWire.Body(TestCsr.Create($"CN=routed-renewal-{renewedUnder}").Base64));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using X509Certificate2 renewed = await EstWire.ReadIssuedAsync(response);

        Assert.That(IssuedCertificates.PolicyOids(renewed), Is.EqualTo(new[] { oid }));
    }

    [TestCase("alpha", "beta", "beta")]
    [TestCase("beta", "alpha", "alpha")]
    [TestCase("beta", "", "alpha")]
    public async Task SimpleReenroll_UnderAnotherProfilesLabel_Returns403NamingThatProfile(string enrolledUnder, string renewedUnder, string refusingProfile)
    {
        using X509Certificate2 current = await EnrollAsync(_withDefault, $"/.well-known/est/{enrolledUnder}/simpleenroll", "CN=routed-cross-renewal");
        using HttpClient client = _withDefault.CreateClientPresenting(current);
        string route = renewedUnder.Length == 0 ? "/.well-known/est/simplereenroll" : $"/.well-known/est/{renewedUnder}/simplereenroll";

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(route), EstWire.Body(TestCsr.Create("CN=routed-cross-renewal").Base64));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(
                await response.Content.ReadAsStringAsync(),
                Is.EqualTo($"the certificate was not issued under profile '{refusingProfile}' (none of its policies); renew it under the label it was issued for\n"));
        }
    }

    [TestCase("GET", "cacerts")]
    [TestCase("GET", "csrattrs")]
    [TestCase("POST", "simpleenroll")]
    [TestCase("POST", "simplereenroll")]
    public async Task AnyOperation_UnlabelledWithoutDefaultProfile_Returns404SayingLabelsOnly(string method, string operation)
    {
        using X509Certificate2 device = _withoutDefault.LoadDeviceIdentity();
        using HttpClient client = _withoutDefault.CreateClientPresenting(device);
        using var request = new HttpRequestMessage(new HttpMethod(method), EstWire.Path($"/.well-known/est/{operation}"));
        if (method == "POST")
        {
            request.Content = EstWire.Body(TestCsr.Create("CN=no-default").Base64);
        }

        using HttpResponseMessage response = await client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("this server serves EST only under a label\n"));
        }
    }

    [Test]
    public async Task SimpleEnroll_LabelledWithoutDefaultProfile_StillWorks()
    {
        using X509Certificate2 issued = await EnrollAsync(_withoutDefault, "/.well-known/est/beta/simpleenroll", "CN=no-default-labelled");

        Assert.That(IssuedCertificates.PolicyOids(issued), Is.EqualTo(new[] { BetaOid }));
    }

    /// <summary>Enrolls with the demo device identity of <paramref name="factory"/>'s own development PKI.</summary>
    private static async Task<X509Certificate2> EnrollAsync(EstHostFactory factory, string path, string subject)
    {
        using X509Certificate2 device = factory.LoadDeviceIdentity();
        using HttpClient client = factory.CreateClientPresenting(device);
        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(path), EstWire.Body(TestCsr.Create(subject).Base64));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await EstWire.ReadIssuedAsync(response);
    }
}
