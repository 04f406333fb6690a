using System.Formats.Asn1;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Pipeline;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.ScaleOut;

/// <summary>
/// One enrollment as a well-behaved device does it (RFC 7030 §4.2.3): POST the CSR; on 202 or 503 wait
/// the Retry-After and send the very same request again, until the certificate comes.
/// </summary>
public sealed class DeviceEnrollment(HttpClient client, X509Certificate2 device, TestCsr csr)
{
    private readonly List<HttpStatusCode> _statuses = [];

    public TestCsr Csr => csr;

    /// <summary>
    /// A device whose connection breaks (its host was killed) tries again after a pause, as devices in
    /// the field do; such an attempt is counted as status 0. Off by default, so a crashed host fails a test at once.
    /// </summary>
    public bool RetriesConnectionFailures { get; init; }

    /// <summary>Why the last connection failed, for a test's failure message.</summary>
    public string? LastConnectionFailure { get; private set; }

    /// <summary>The id every host and worker derives for this request (operation, profile, client certificate, CSR).</summary>
    public string RequestId { get; } = SigningRequestId.Derive(EnrollmentKind.Enroll, ScaleOutCluster.ProfileName, device.RawData, csr.Der);

    public IReadOnlyList<HttpStatusCode> Statuses
    {
        get
        {
            lock (_statuses)
            {
                return _statuses.ToList();
            }
        }
    }

    public X509Certificate2? Certificate { get; private set; }

    /// <summary>Sends the request until it is answered with a certificate; any answer other than 200, 202 or 503 fails.</summary>
    public async Task<X509Certificate2> EnrollAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            HttpStatusCode status;
            string body;
            TimeSpan? retryAfter;
            try
            {
                (status, body, retryAfter) = await PostOnceAsync(cancellationToken);
            }
            catch (HttpRequestException exception) when (RetriesConnectionFailures)
            {
                LastConnectionFailure = exception.InnerException?.Message ?? exception.Message;
                (status, body, retryAfter) = (0, "", TimeSpan.FromMilliseconds(500));
            }

            lock (_statuses)
            {
                _statuses.Add(status);
            }

            switch (status)
            {
                case HttpStatusCode.OK:
                    Certificate = ReadCertificate(body);
                    return Certificate;
                case 0:
                    await Task.Delay(retryAfter!.Value, cancellationToken);
                    break;
                case HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable:
                    Assert.That(retryAfter, Is.Not.Null, $"{(int)status} without Retry-After");
                    await Task.Delay(retryAfter!.Value, cancellationToken);
                    break;
                default:
                    Assert.Fail($"enrollment {RequestId} answered {(int)status}: {body}");
                    break;
            }
        }
    }

    /// <summary>Repeats the request once more and returns the certificate answered (a 200 is required).</summary>
    public async Task<X509Certificate2> RepeatAsync(CancellationToken cancellationToken)
    {
        (HttpStatusCode status, string body, _) = await PostOnceAsync(cancellationToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"repeat of {RequestId}: {body}");
        return ReadCertificate(body);
    }

    private async Task<(HttpStatusCode Status, string Body, TimeSpan? RetryAfter)> PostOnceAsync(CancellationToken cancellationToken)
    {
        using var content = new StringContent(Convert.ToBase64String(csr.Der, Base64FormattingOptions.InsertLineBreaks));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pkcs10");
        using HttpResponseMessage response = await client.PostAsync(new Uri("/.well-known/est/simpleenroll", UriKind.Relative), content, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, body, response.Headers.RetryAfter?.Delta);
    }

    /// <summary>The certificates of a certs-only SignedData (ContentInfo → [0] SignedData → [0] certificates); exactly one is required.</summary>
    private static X509Certificate2 ReadCertificate(string body)
    {
        AsnReader contentInfo = new AsnReader(Convert.FromBase64String(body), AsnEncodingRules.BER).ReadSequence();
        _ = contentInfo.ReadObjectIdentifier();
        AsnReader signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        _ = signedData.ReadInteger();
        _ = signedData.ReadSetOf(skipSortOrderValidation: true);
        _ = signedData.ReadSequence();
        AsnReader certificates = signedData.ReadSetOf(skipSortOrderValidation: true, new Asn1Tag(TagClass.ContextSpecific, 0));
        var found = new List<X509Certificate2>();
        while (certificates.HasData)
        {
            found.Add(X509CertificateLoader.LoadCertificate(certificates.ReadEncodedValue().Span));
        }

        Assert.That(found, Has.Count.EqualTo(1), "one certificate in the certs-only answer");
        return found[0];
    }
}
