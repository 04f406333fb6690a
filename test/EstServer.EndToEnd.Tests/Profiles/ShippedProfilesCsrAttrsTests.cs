using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Profiles;

/// <summary>
/// csrattrs (RFC 7030 §4.5, RFC 9908) for each shipped profile, on the binary running with the
/// repository's config/: the answer is fetched over TLS, its template decoded, a CSR built the way the
/// template says, and that CSR enrolled under the same label by the demo device.
/// </summary>
[TestFixture]
public sealed class ShippedProfilesCsrAttrsTests
{
    private const string EcPublicKey = "1.2.840.10045.2.1";
    private const string P256 = "1.2.840.10045.3.1.7";
    private const string P384 = "1.3.132.0.34";
    private const string RsaEncryption = "1.2.840.113549.1.1.1";
    private const string Ed25519 = "1.3.101.112";
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";

    private EstTestServer _server = null!;
    private HttpClient _anonymous = null!;
    private HttpClient _device = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EstTestServer.StartAsync(new() { Binary = true, Purpose = "csrattrs", ConfigDirectory = ServerProcess.RepositoryConfigDirectory, Profiles = null });
        _anonymous = _server.CreateClient();
        _device = _server.CreateClient(_server.DemoDevice);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _anonymous?.Dispose();
        _device?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [TestCase("field-device")]
    [TestCase("gateway")]
    [TestCase("constrained")]
    public async Task CsrAttrs_ShippedLabelWithoutClientCertificate_Returns200CsrAttrsWithTemplate(string label)
    {
        using HttpResponseMessage response = await _anonymous.GetAsync(new Uri($"{EstRequests.Root}/{label}/csrattrs", UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/csrattrs"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(body.Length));
            Assert.That(CsrAttrsResponse.DecodeBase64(body).Attributes.Keys, Does.Contain(CsrAttrsResponse.TemplateOid));
        }
    }

    [TestCase("field-device", new[] { P256, P384 }, true, true)]
    [TestCase("gateway", new[] { P256, P384 }, true, false)]
    [TestCase("constrained", new[] { P256 }, false, true)]
    public async Task CsrAttrs_ShippedLabel_LegacyListNamesProfilesKeyAlgorithms(string label, string[] curves, bool rsa, bool ed25519)
    {
        CsrAttrsResponse answer = await FetchAsync(label);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Attributes.TryGetValue(EcPublicKey, out IReadOnlyList<byte[]>? curveValues), Is.True, "an id-ecPublicKey attribute");
            Assert.That(curveValues?.Select(v => new AsnReader(v, AsnEncodingRules.DER).ReadObjectIdentifier()), Is.EquivalentTo(curves));
            Assert.That(answer.Attributes.ContainsKey(RsaEncryption), Is.EqualTo(rsa), "rsaEncryption listed");
            if (rsa)
            {
                Assert.That(new AsnReader(answer.Attributes[RsaEncryption].Single(), AsnEncodingRules.DER).ReadInteger(), Is.EqualTo(new System.Numerics.BigInteger(2048)), "minimum RSA size");
            }

            Assert.That(answer.BareOids.Contains(Ed25519), Is.EqualTo(ed25519), "id-Ed25519 listed");
            Assert.That(answer.BareOids, Does.Contain(EcdsaWithSha256), "the signature algorithm to use");
        }
    }

    [Test]
    public async Task CsrAttrs_NoLabel_AnswersAsDefaultFieldDeviceProfile()
    {
        string unlabelled = await _anonymous.GetStringAsync(new Uri(EstRequests.Root + "/csrattrs", UriKind.Relative));
        string fieldDevice = await _anonymous.GetStringAsync(new Uri(EstRequests.Root + "/field-device/csrattrs", UriKind.Relative));

        Assert.That(unlabelled, Is.EqualTo(fieldDevice));
    }

    [Test]
    public async Task CsrAttrs_Head_Returns200WithLengthAndNoBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(EstRequests.Root + "/gateway/csrattrs", UriKind.Relative));
        using HttpResponseMessage response = await _anonymous.SendAsync(request);
        string get = await _anonymous.GetStringAsync(new Uri(EstRequests.Root + "/gateway/csrattrs", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/csrattrs"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(get.Length));
            Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Empty);
        }
    }

    [TestCase("field-device", "2.999.1.1.1", "csrattrs-field-1", false)]
    [TestCase("gateway", "2.999.1.1.2", "gw-csrattrs-1", true)]
    [TestCase("constrained", "2.999.1.1.3", "csrattrs-tiny-1", false)]
    public async Task SimpleEnroll_CsrFollowingShippedLabelsTemplate_Returns200WithProfilesPolicyOid(string label, string policyOid, string commonName, bool templateAsksForSan)
    {
        CsrAttrsResponse answer = await FetchAsync(label);
        CsrTemplate template = answer.Template!;
        Assert.That(template.ExtensionTemplateOids.Contains(CsrTemplate.SubjectAltNameOid), Is.EqualTo(templateAsksForSan), "the template asks for a subjectAltName exactly when the profile requires one");
        var fill = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["2.5.4.3"] = commonName,
            // The IDevID's own serialNumber: the profile copies it from the client certificate.
            ["2.5.4.5"] = _server.DemoDevice.SubjectName.EnumerateRelativeDistinguishedNames().Single(r => r.GetSingleElementType().Value == "2.5.4.5").GetSingleElementValue()!,
        };
        TestCsr csr = answer.FollowTemplate(fill, [$"{commonName}.site.gateways.example.com"]);

        using HttpResponseMessage response = await _device.PostAsync(new Uri($"{EstRequests.Root}/{label}/simpleenroll", UriKind.Relative), EstRequests.Pkcs10(csr.Der));
        string body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        using X509Certificate2 issued = CertsOnlyReader.ReadBase64(body).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CertificatePolicyReader.Oids(issued), Is.EqualTo(new[] { policyOid }));
            Assert.That(issued.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(csr.Key!.ExportSubjectPublicKeyInfo()));
            Assert.That(issued.SubjectName.Name, Is.EqualTo(csr.SubjectName.Name), "the subject the template described");
            Assert.That(issued.Extensions.OfType<X509SubjectAlternativeNameExtension>().SingleOrDefault()?.EnumerateDnsNames(),
                templateAsksForSan ? Is.EqualTo(new[] { $"{commonName}.site.gateways.example.com" }) : Is.Null);
        }
    }

    private async Task<CsrAttrsResponse> FetchAsync(string label) =>
        CsrAttrsResponse.DecodeBase64(await _anonymous.GetStringAsync(new Uri($"{EstRequests.Root}/{label}/csrattrs", UriKind.Relative)));
}
