using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>EST requests as a device sends them: base64 PKCS#10 bodies (RFC 7030 §4.2.1, RFC 8951).</summary>
public static class EstRequests
{
    public const string Root = "/.well-known/est";

    public const string SimpleEnroll = Root + "/simpleenroll";

    public const string SimpleReenroll = Root + "/simplereenroll";

    public const string CaCerts = Root + "/cacerts";

    /// <summary>Base64 with CRLF line breaks every 76 characters, as many device stacks send it.</summary>
    public static HttpContent Pkcs10(byte[] csrDer)
    {
        var content = new StringContent(Convert.ToBase64String(csrDer, Base64FormattingOptions.InsertLineBreaks));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pkcs10");
        return content;
    }

    public static Task<HttpResponseMessage> PostCsrAsync(HttpClient client, string path, TestCsr csr) =>
        client.PostAsync(new Uri(path, UriKind.Relative), Pkcs10(csr.Der));

    /// <summary>Posts the CSR, requires a 200 with exactly one certificate, and returns it.</summary>
    public static async Task<X509Certificate2> EnrollAsync(HttpClient client, string path, TestCsr csr)
    {
        using HttpResponseMessage response = await PostCsrAsync(client, path, csr).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), $"{path} answered: {body}");
        IReadOnlyList<X509Certificate2> certificates = CertsOnlyReader.ReadBase64(body);
        Assert.That(certificates, Has.Count.EqualTo(1), "a certs-only answer to an enrollment holds the one new certificate");
        return certificates[0];
    }

    /// <summary>The issued certificate joined with the CSR's private key, ready to be a TLS client certificate.</summary>
    public static X509Certificate2 WithKey(X509Certificate2 certificate, TestCsr csr) => csr.Key switch
    {
        ECDsa ec => certificate.CopyWithPrivateKey(ec),
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        _ => throw new InvalidOperationException($"no platform key for {csr.KeyType}"),
    };
}
