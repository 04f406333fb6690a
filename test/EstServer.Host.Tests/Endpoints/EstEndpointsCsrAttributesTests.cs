using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// csrattrs (RFC 7030 §4.5, RFC 9908): open to all, answered per label from that label's profile, in the
/// same base64 framing as cacerts, and saying exactly what the profile will accept.
/// </summary>
[TestFixture]
public sealed class EstEndpointsCsrAttributesTests
{
    private const string EcPublicKey = "1.2.840.10045.2.1";
    private const string P384 = "1.3.132.0.34";
    private const string P521 = "1.3.132.0.35";
    private const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    private const string RsaEncryption = "1.2.840.113549.1.1.1";
    private const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    private const string Ed25519 = "1.3.101.112";
    private const string CommonName = "2.5.4.3";
    private const string Organization = "2.5.4.10";
    private const string SerialNumber = "2.5.4.5";
    private const string Country = "2.5.4.6";
    private const string DnQualifier = "2.5.4.46";
    private const string SubjectAltName = "2.5.29.17";

    private EstHostFactory _factory = null!;
    private HttpClient _anonymous = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _factory = new EstHostFactory(profiles:
        [
            new TestProfile
            {
                Name = "ec-device",
                Labels = ["ecdev"],
                Default = true,
                Keys = "  ec: [P-521, P-384]\n",
                Subject = "  - type: O\n    value: Example Devices\n  - type: CN\n    required: true\n  - type: OU\n  - type: serialNumber\n    from: clientCertificate\n",
                SubjectAltName = "  - type: dns\n    min: 1\n    max: 2\n",
            },
            new TestProfile
            {
                Name = "rsa-device",
                Labels = ["rsadev"],
                Keys = "  rsa: { minBits: 3072, maxBits: 4096 }\n",
                Subject = "  - type: CN\n    required: true\n  - type: OU\n",
                SubjectAltName = "",
            },
            new TestProfile { Name = "ed-device", Labels = ["eddev"], Keys = "  ed25519: true\n" },
            new TestProfile
            {
                Name = "fixed-values",
                Labels = ["fixed"],
                Subject = "  - type: C\n    value: DE\n  - type: serialNumber\n    value: SN_42\n  - type: 2.5.4.46\n    value: dq-1\n"
                    + "  - type: O\n    value: Example Devices\n  - type: CN\n    required: true\n",
            },
        ]);
        _anonymous = _factory.CreateClientPresenting(null);
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _anonymous.Dispose();
        _factory.Dispose();
    }

    [TestCase("/.well-known/est/csrattrs")]
    [TestCase("/.well-known/est/ecdev/csrattrs")]
    [TestCase("/.well-known/est/rsadev/csrattrs")]
    public async Task CsrAttrs_WithoutClientCertificate_Returns200CsrAttrsWithContentLength(string path)
    {
        using HttpResponseMessage response = await _anonymous.GetAsync(EstWire.Path(path));
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), Encoding.UTF8.GetString(body));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/csrattrs"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(body.Length));
            Assert.That(body, Is.Not.Empty);
        }
    }

    [TestCase("ecdev")]
    [TestCase("rsadev")]
    [TestCase("eddev")]
    public async Task CsrAttrs_Body_IsBase64In64ColumnLfTerminatedLines(string label)
    {
        string text = await _anonymous.GetStringAsync(EstWire.Path($"/.well-known/est/{label}/csrattrs"));
        string[] lines = text.Split('\n');

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.EndWith("\n"));
            Assert.That(text, Does.Not.Contain("\r"));
            Assert.That(lines[^1], Is.Empty, "nothing after the last LF");
            Assert.That(lines[..^2].Select(line => line.Length), Is.All.EqualTo(64), "every line but the last is 64 columns");
            Assert.That(lines[^2].Length, Is.InRange(1, 64));
            Assert.That(lines[..^1], Is.All.Match("^[A-Za-z0-9+/]+=*$"));
        }
    }

    [Test]
    public async Task CsrAttrs_EcProfile_AdvertisesItsCurvesSignatureAndSubjectTemplate()
    {
        CsrAttrsReader attributes = await ReadAsync("/.well-known/est/ecdev/csrattrs");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(attributes.Attributes.Keys, Is.EquivalentTo(new[] { EcPublicKey }), "only EC keys are allowed");
            Assert.That(attributes.Attributes[EcPublicKey].Select(ReadOid), Is.EquivalentTo(new[] { P384, P521 }));
            Assert.That(attributes.Oids, Is.EqualTo(new[] { EcdsaWithSha384 }), "sign with the hash that fits the preferred curve; no Ed25519");
            Assert.That(attributes.TemplateVersion, Is.Zero);
            Assert.That(attributes.TemplateSubject, Is.EqualTo(new (string, string?)[]
            {
                (Organization, "Example Devices"),
                (CommonName, null),
                (SerialNumber, null),
            }), "fixed, required and client-certificate attributes in profile order; the optional OU left out");
            Assert.That(attributes.TemplateKey, Is.EqualTo((EcPublicKey, (string?)P384)), "the smallest allowed curve");
            Assert.That(
                Convert.ToHexString(attributes.TemplateKeyDer!),
                Is.EqualTo("A0123010" + "06072A8648CE3D0201" + "06052B81040022"),
                "[0] IMPLICIT SubjectPublicKeyInfoTemplate holding the AlgorithmIdentifier SEQUENCE {id-ecPublicKey, secp384r1} (RFC 9908)");
            Assert.That(attributes.TemplateExtensions, Is.EqualTo(new[] { SubjectAltName }), "the profile requires a DNS name");
        }
    }

    [Test]
    public async Task CsrAttrs_RsaProfile_AdvertisesTheMinimumSizeAndNoExtensionTemplate()
    {
        CsrAttrsReader attributes = await ReadAsync("/.well-known/est/rsadev/csrattrs");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(attributes.Attributes.Keys, Is.EquivalentTo(new[] { RsaEncryption }));
            Assert.That(attributes.Attributes[RsaEncryption].Select(value => (int)new AsnReader(value, AsnEncodingRules.DER).ReadInteger()), Is.EqualTo(new[] { 3072 }));
            Assert.That(attributes.Oids, Is.EqualTo(new[] { Sha256WithRsa }));
            Assert.That(attributes.TemplateSubject, Is.EqualTo(new (string, string?)[] { (CommonName, null) }));
            Assert.That(attributes.TemplateKey, Is.EqualTo((RsaEncryption, (string?)null)));
            Assert.That(attributes.TemplateKeyHasNullParameter, Is.True, "rsaEncryption parameters are NULL (RFC 3279 §2.3.1)");
            Assert.That(
                Convert.ToHexString(attributes.TemplateKeyDer!),
                Is.EqualTo("A00F300D" + "06092A864886F70D010101" + "0500"),
                "[0] IMPLICIT SubjectPublicKeyInfoTemplate holding the AlgorithmIdentifier SEQUENCE {rsaEncryption, NULL}");
            Assert.That(attributes.TemplateExtensions, Is.Empty);
            Assert.That(attributes.TemplateAttributeTypes, Is.Empty);
        }
    }

    [Test]
    public async Task CsrAttrs_Ed25519Profile_NamesOnlyEd25519()
    {
        CsrAttrsReader attributes = await ReadAsync("/.well-known/est/eddev/csrattrs");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(attributes.Attributes, Is.Empty);
            Assert.That(attributes.Oids, Is.EqualTo(new[] { Ed25519 }));
            Assert.That(attributes.TemplateKey, Is.EqualTo((Ed25519, (string?)null)));
            Assert.That(attributes.TemplateKeyHasNullParameter, Is.False, "Ed25519 parameters are absent (RFC 8410 §3)");
            Assert.That(
                Convert.ToHexString(attributes.TemplateKeyDer!),
                Is.EqualTo("A0073005" + "06032B6570"),
                "[0] IMPLICIT SubjectPublicKeyInfoTemplate holding the AlgorithmIdentifier SEQUENCE {id-Ed25519}");
            Assert.That(attributes.TemplateSubject, Is.Empty, "the permissive test profile requires no subject attribute");
        }
    }

    [Test]
    public async Task CsrAttrs_FixedSubjectValues_ArePrintableStringWhereX520WantsItAndTheValueFitsElseUtf8String()
    {
        CsrAttrsReader attributes = await ReadAsync("/.well-known/est/fixed/csrattrs");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(attributes.TemplateSubject, Is.EqualTo(new (string, string?)[]
            {
                (Country, "DE"),
                (SerialNumber, "SN_42"),
                (DnQualifier, "dq-1"),
                (Organization, "Example Devices"),
                (CommonName, null),
            }));
            Assert.That(attributes.TemplateSubjectEncodings, Is.EquivalentTo(new Dictionary<string, UniversalTagNumber>
            {
                [Country] = UniversalTagNumber.PrintableString,
                [SerialNumber] = UniversalTagNumber.UTF8String,
                [DnQualifier] = UniversalTagNumber.PrintableString,
                [Organization] = UniversalTagNumber.UTF8String,
            }), "'_' is not a PrintableString character; O is a DirectoryString, UTF8String by RFC 5280 §4.1.2.6");
        }
    }

    [Test]
    public async Task CsrAttrs_UnlabelledRoute_AnswersForTheDefaultProfile()
    {
        string unlabelled = await _anonymous.GetStringAsync(EstWire.Path("/.well-known/est/csrattrs"));
        string labelled = await _anonymous.GetStringAsync(EstWire.Path("/.well-known/est/ecdev/csrattrs"));
        string other = await _anonymous.GetStringAsync(EstWire.Path("/.well-known/est/rsadev/csrattrs"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unlabelled, Is.EqualTo(labelled));
            Assert.That(unlabelled, Is.Not.EqualTo(other));
        }
    }

    [Test]
    public async Task CsrAttrs_UnknownLabel_Returns404NamingIt()
    {
        using HttpResponseMessage response = await _anonymous.GetAsync(EstWire.Path("/.well-known/est/nosuch/csrattrs"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("unknown EST label 'nosuch'\n"));
        }
    }

    [TestCase("/.well-known/est/csrattrs")]
    [TestCase("/.well-known/est/ecdev/csrattrs")]
    public async Task CsrAttrs_Post_Returns405AllowingGetAndHead(string path)
    {
        using HttpResponseMessage response = await _anonymous.PostAsync(EstWire.Path(path), EstWire.Body("AAAA"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(string.Join(", ", response.Content.Headers.Allow), Is.EqualTo("GET, HEAD"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("method POST is not allowed here; use GET, HEAD\n"));
        }
    }

    [Test]
    public async Task CsrAttrs_Head_Returns200WithTheHeadersOfGet()
    {
        using HttpResponseMessage get = await _anonymous.GetAsync(EstWire.Path("/.well-known/est/ecdev/csrattrs"));
        byte[] body = await get.Content.ReadAsByteArrayAsync();
        using var head = new HttpRequestMessage(HttpMethod.Head, EstWire.Path("/.well-known/est/ecdev/csrattrs"));
        using HttpResponseMessage response = await _anonymous.SendAsync(head);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/csrattrs"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(body.Length));
        }
    }

    [Test]
    public async Task SimpleEnroll_CsrBuiltFromTheAdvertisedTemplate_IsIssuedWithTheTemplatesSubject()
    {
        CsrAttrsReader attributes = await ReadAsync("/.well-known/est/ecdev/csrattrs");
        Assert.That(attributes.TemplateKey?.Parameter, Is.EqualTo(P384));
        TestCsr csr = TestCsr.Create("CN=template-device, O=Example Devices", TestKeyType.EcP384, ["template-device.example"], HashAlgorithmName.SHA384);
        using X509Certificate2 device = _factory.LoadDeviceIdentity();
        using HttpClient client = _factory.CreateClientPresenting(device);

        using HttpResponseMessage response = await client.PostAsync(
            EstWire.Path("/.well-known/est/ecdev/simpleenroll"), EstWire.Body(csr.Base64));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using X509Certificate2 issued = await EstWire.ReadIssuedAsync(response);

        Assert.That(IssuedCertificates.SubjectAttributes(issued).Select(a => a.Oid), Is.EqualTo(attributes.TemplateSubject!.Select(a => a.Oid)));
    }

    private static string ReadOid(byte[] der) => new AsnReader(der, AsnEncodingRules.DER).ReadObjectIdentifier();

    private async Task<CsrAttrsReader> ReadAsync(string path)
    {
        string body = await _anonymous.GetStringAsync(EstWire.Path(path));
        return CsrAttrsReader.Read(Convert.FromBase64String(body.Replace("\n", "", StringComparison.Ordinal)));
    }
}
