using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// simpleenroll through the whole in-process pipeline (RFC 7030 §4.2.1, RFC 8951): the demo device
/// identity authenticates, the signer issues; bodies, media types and sizes are checked on the way.
/// </summary>
[TestFixture]
public sealed class EstEndpointsEnrollTests
{
    private const string SimpleEnroll = "/.well-known/est/simpleenroll";
    private const int Limit = 2048;

    private readonly RequestRecorder _recorder = new();
    private EstHostFactory _factory = null!;
    private X509Certificate2 _device = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        // Not about policy: a permissive profile that copies the CSR's subject, with the key sizes the messages below name.
        _factory = new EstHostFactory(
            new Dictionary<string, string?> { ["Est:MaxRequestBodyBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            services => services.AddSingleton<IStartupFilter>(_recorder),
            profiles: [new TestProfile { Name = "enroll", Default = true, Keys = "  ec: [P-256, P-384]\n  rsa: { minBits: 2048, maxBits: 8192 }\n  ed25519: true\n" }]);
        _device = _factory.LoadDeviceIdentity();
        _client = _factory.CreateClientPresenting(_device);
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _client.Dispose();
        _device.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task SimpleEnroll_ValidCsr_Returns200CertsOnlyWithOneCertificateForTheCsrKey()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-valid, O=Host Tests");

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));
        string body = await response.Content.ReadAsStringAsync();
        X509Certificate2Collection certificates = EstWire.ReadCertsOnly(body);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("application/pkcs7-mime; smime-type=certs-only"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(Encoding.ASCII.GetByteCount(body)));
            Assert.That(body.Split('\n')[0], Has.Length.EqualTo(64));
            Assert.That(certificates, Has.Count.EqualTo(1));
            Assert.That(certificates[0].PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(csr.SubjectPublicKeyInfo));
            Assert.That(certificates[0].Subject, Is.EqualTo("CN=enroll-valid, O=Host Tests"));
        }
    }

    [Test]
    public async Task SimpleEnroll_ValidCsr_IssuesCertificateChainingToTheDevRootForClientAuth()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-chain");

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));
        using X509Certificate2 issued = await EstWire.ReadIssuedAsync(response);
        using X509Certificate2 root = X509CertificateLoader.LoadCertificateFromFile(_factory.DevPki.TrustAnchor);
        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificateFromFile(_factory.DevPki.IssuingCaCertificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(issuing);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chain.Build(issued), Is.True, string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.That(issued.IssuerName.RawData, Is.EqualTo(issuing.SubjectName.RawData));
        }
    }

    [TestCase(TestKeyType.EcP256)]
    [TestCase(TestKeyType.EcP384)]
    [TestCase(TestKeyType.Rsa2048)]
    [TestCase(TestKeyType.Ed25519)]
    public async Task SimpleEnroll_AllowedKeyType_Returns200ForThatKey(TestKeyType keyType)
    {
        TestCsr csr = TestCsr.Create($"CN=enroll-{keyType}", keyType);

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using X509Certificate2 issued = await EstWire.ReadIssuedAsync(response);

        Assert.That(issued.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(csr.SubjectPublicKeyInfo));
    }

    [TestCase("crlf-64", 64, "\r\n")]
    [TestCase("lf-76", 76, "\n")]
    [TestCase("crlf-76", 76, "\r\n")]
    [TestCase("cr-only", 64, "\r")]
    [TestCase("space-separated", 4, " ")]
    [TestCase("tab-separated", 16, "\t")]
    public async Task SimpleEnroll_LineBreakStyle_IsAccepted(string style, int width, string newline)
    {
        TestCsr csr = TestCsr.Create($"CN=enroll-{style}");

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(EstWire.Wrap(csr.Der, width, newline)));

        await AssertIssuedForAsync(response, csr);
    }

    [Test]
    public async Task SimpleEnroll_SingleLineWithoutTrailingNewline_IsAccepted()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-flat");

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));

        await AssertIssuedForAsync(response, csr);
    }

    [Test]
    public async Task SimpleEnroll_ContentTransferEncodingBase64Header_IsAccepted()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-cte");
        using ByteArrayContent content = EstWire.Body(EstWire.Wrap(csr.Der, 64, "\n"));
        content.Headers.TryAddWithoutValidation("Content-Transfer-Encoding", "base64");

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), content);

        await AssertIssuedForAsync(response, csr);
    }

    [TestCase("application/pkcs10; name=device.p10")]
    [TestCase("application/pkcs10; charset=us-ascii")]
    [TestCase("Application/PKCS10")]
    public async Task SimpleEnroll_ContentTypeVariant_IsAccepted(string contentType)
    {
        TestCsr csr = TestCsr.Create("CN=enroll-content-type");

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64, contentType));

        await AssertIssuedForAsync(response, csr);
    }

    [Test]
    public async Task SimpleEnroll_MissingContentType_Returns415NamingTheExpectedType()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-no-content-type");

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64, contentType: null));

        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type is missing; send application/pkcs10\n");
    }

    [TestCase("text/plain")]
    [TestCase("application/octet-stream")]
    [TestCase("application/pkcs7-mime")]
    [TestCase("application/x-pkcs10")]
    public async Task SimpleEnroll_WrongContentType_Returns415(string contentType)
    {
        TestCsr csr = TestCsr.Create("CN=enroll-wrong-content-type");

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64, contentType));

        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, $"Content-Type {contentType} is not accepted; send application/pkcs10\n");
    }

    [Test]
    public async Task SimpleEnroll_ContentLengthOverLimit_Returns413()
    {
        string body = new('A', Limit + 1);

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(body));

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, $"request body exceeds the limit of {Limit} bytes\n");
    }

    [Test]
    public async Task SimpleEnroll_ChunkedBodyWithoutContentLengthOverLimit_Returns413()
    {
        using HttpResponseMessage response = await PostChunkedAsync(Encoding.ASCII.GetBytes(new string('A', 4 * Limit)), "chunked-over-limit");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_recorder.ContentLength("chunked-over-limit"), Is.Null, "the server saw no Content-Length");
            await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, $"request body exceeds the limit of {Limit} bytes\n");
        }
    }

    [Test]
    public async Task SimpleEnroll_ChunkedBodyOneByteOverLimit_Returns413()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-chunked-over");

        using HttpResponseMessage response = await PostChunkedAsync(Encoding.ASCII.GetBytes(csr.Base64.PadRight(Limit + 1, '\n')), "chunked-one-over");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task SimpleEnroll_ChunkedBodyWithinLimit_IsAccepted()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-streamed");

        using HttpResponseMessage response = await PostChunkedAsync(Encoding.ASCII.GetBytes(EstWire.Wrap(csr.Der, 64, "\n")), "chunked-within");

        Assert.That(_recorder.ContentLength("chunked-within"), Is.Null, "the server saw no Content-Length");
        await AssertIssuedForAsync(response, csr);
    }

    [Test]
    public async Task SimpleEnroll_ChunkedBodyExactlyAtLimit_IsAccepted()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-chunked-at-limit");

        using HttpResponseMessage response = await PostChunkedAsync(Encoding.ASCII.GetBytes(csr.Base64.PadRight(Limit, '\n')), "chunked-at-limit");

        await AssertIssuedForAsync(response, csr);
    }

    [Test]
    public async Task SimpleEnroll_BodyExactlyAtLimit_IsAccepted()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-at-limit");
        string body = csr.Base64.PadRight(Limit, '\n');

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(body));

        await AssertIssuedForAsync(response, csr);
    }

    [Test]
    public async Task SimpleEnroll_ValidCsrPaddedOneByteOverLimit_Returns413()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-over-limit");
        string body = csr.Base64.PadRight(Limit + 1, '\n');

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task SimpleEnroll_EmptyBody_Returns400()
    {
        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(""));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "request body is empty; expected base64-encoded DER\n");
    }

    [TestCase("not base64 at all!")]
    [TestCase("QUJD*")]
    [TestCase("QUJDR")]
    public async Task SimpleEnroll_InvalidBase64_Returns400(string body)
    {
        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(body));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "request body is not valid base64\n");
    }

    [Test]
    public async Task SimpleEnroll_PemArmouredBody_Returns400SayingSo()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-pem");
        string pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + EstWire.Wrap(csr.Der, 64, "\n") + "-----END CERTIFICATE REQUEST-----\n";

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(pem));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "request body is PEM armoured; send base64 DER without the BEGIN/END lines (RFC 8951)\n");
    }

    [Test]
    public async Task SimpleEnroll_CertificateInsteadOfCsr_Returns400()
    {
        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(Convert.ToBase64String(_device.RawData)));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "CSR is not a DER PKCS#10 CertificationRequest\n");
    }

    [Test]
    public async Task SimpleEnroll_BytesThatAreNotDer_Returns400()
    {
        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(Convert.ToBase64String("hello, EST server"u8)));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body, Does.StartWith("CSR is not valid DER: "));
        }
    }

    [Test]
    public async Task SimpleEnroll_CsrFollowedByExtraBytes_Returns400()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-trailing");

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(Convert.ToBase64String([.. csr.Der, 0x05, 0x00])));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "CSR is not valid DER: trailing data after the DER value\n");
    }

    [Test]
    public async Task SimpleEnroll_TamperedCsr_Returns400ProofOfPossessionFailed()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-honest").WithTamperedSubject("CN=enroll-forged");

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "CSR signature does not verify with its public key (proof of possession failed)\n");
    }

    [Test]
    public async Task SimpleEnroll_WeakRsa1024Key_Returns400()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-weak", TestKeyType.Rsa1024);

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "CSR key RSA-1024 is too small; at least 2048 bits are required\n");
    }

    [Test]
    public async Task SimpleEnroll_CurveOutsidePolicy_Returns400ListingAllowedKeys()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-p521", TestKeyType.EcP521);

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "CSR key EC P-521 is not allowed; allowed: EC P-256, EC P-384, RSA 2048-8192, Ed25519\n");
    }

    [Test]
    public async Task SimpleEnroll_SameRequestRepeated_ReturnsTheSameCertificate()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-repeat");

        using HttpResponseMessage first = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));
        using HttpResponseMessage second = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));
        using X509Certificate2 firstCertificate = await EstWire.ReadIssuedAsync(first);
        using X509Certificate2 secondCertificate = await EstWire.ReadIssuedAsync(second);

        Assert.That(secondCertificate.RawData, Is.EqualTo(firstCertificate.RawData));
    }

    [Test]
    public async Task SimpleEnroll_SameRequestSentConcurrently_AllGetTheSameCertificate()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-concurrent");

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64))));
        try
        {
            string[] bodies = await Task.WhenAll(responses.Select(response => response.Content.ReadAsStringAsync()));

            using (Assert.EnterMultipleScope())
            {
                Assert.That(responses.Select(response => response.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
                Assert.That(bodies.Distinct().Count(), Is.EqualTo(1), "one job, one certificate");
            }
        }
        finally
        {
            foreach (HttpResponseMessage response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Test]
    public async Task SimpleEnroll_NewKeyForSameSubject_IssuesANewCertificate()
    {
        TestCsr first = TestCsr.Create("CN=enroll-two-keys");
        TestCsr second = TestCsr.Create("CN=enroll-two-keys");

        using HttpResponseMessage firstResponse = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(first.Base64));
        using HttpResponseMessage secondResponse = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(second.Base64));
        using X509Certificate2 firstCertificate = await EstWire.ReadIssuedAsync(firstResponse);
        using X509Certificate2 secondCertificate = await EstWire.ReadIssuedAsync(secondResponse);

        Assert.That(secondCertificate.SerialNumber, Is.Not.EqualTo(firstCertificate.SerialNumber));
    }

    [Test]
    public async Task SimpleEnroll_UnconfiguredLabel_Returns404()
    {
        TestCsr csr = TestCsr.Create("CN=enroll-label");

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path("/.well-known/est/field/simpleenroll"), EstWire.Body(csr.Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    /// <summary>Posts a body in 100-byte pieces with Transfer-Encoding: chunked and no Content-Length.</summary>
    private async Task<HttpResponseMessage> PostChunkedAsync(byte[] body, string trace)
    {
        using var content = new UnknownLengthContent(body, pieceSize: 100);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pkcs10");
        using var request = new HttpRequestMessage(HttpMethod.Post, EstWire.Path(SimpleEnroll)) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add(RequestRecorder.Header, trace);
        return await _client.SendAsync(request);
    }

    private static async Task AssertIssuedForAsync(HttpResponseMessage response, TestCsr csr)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        X509Certificate2Collection certificates = EstWire.ReadCertsOnly(body);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(certificates, Has.Count.EqualTo(1));
            Assert.That(certificates[0].PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(csr.SubjectPublicKeyInfo));
        }
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string body)
    {
        string actual = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(status));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(actual, Is.EqualTo(body));
        }
    }
}
