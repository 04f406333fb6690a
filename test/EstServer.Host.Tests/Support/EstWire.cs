using System.Net.Http.Headers;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EstServer.Host.Tests.Support;

/// <summary>Builds EST request bodies and reads EST answers independently of the server's own encoders.</summary>
internal static class EstWire
{
    public const string Root = "/.well-known/est";

    public static Uri Path(string relative) => new(relative, UriKind.Relative);

    /// <summary>A body sent as is, with the given Content-Type (none if null).</summary>
    public static ByteArrayContent Body(string text, string? contentType = "application/pkcs10")
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(text));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }

    /// <summary>Base64 of <paramref name="der"/> in lines of <paramref name="width"/> characters ended by <paramref name="newline"/>.</summary>
    public static string Wrap(byte[] der, int width, string newline)
    {
        string flat = Convert.ToBase64String(der);
        var text = new StringBuilder();
        for (int i = 0; i < flat.Length; i += width)
        {
            text.Append(flat.AsSpan(i, Math.Min(width, flat.Length - i))).Append(newline);
        }

        return text.ToString();
    }

    /// <summary>
    /// Decodes a certs-only answer the way RFC 7030 clients do: strip line breaks, base64, then a strict
    /// DER read of the degenerate CMS SignedData (RFC 5652 §5, RFC 7030 §4.1.3): no digest algorithms,
    /// no content, no signers, only certificates.
    /// </summary>
    public static X509Certificate2Collection ReadCertsOnly(string body)
    {
        byte[] der = Convert.FromBase64String(body.Replace("\n", "", StringComparison.Ordinal));
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader contentInfo = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        Expect(contentInfo.ReadObjectIdentifier(), "1.2.840.113549.1.7.2", "contentType signedData");
        AsnReader explicitContent = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
        contentInfo.ThrowIfNotEmpty();
        AsnReader signedData = explicitContent.ReadSequence();
        explicitContent.ThrowIfNotEmpty();
        _ = signedData.ReadInteger();
        Expect(signedData.ReadSetOf().HasData ? "digest algorithms" : "none", "none", "digestAlgorithms");
        AsnReader encapsulated = signedData.ReadSequence();
        Expect(encapsulated.ReadObjectIdentifier(), "1.2.840.113549.1.7.1", "eContentType data");
        Expect(encapsulated.HasData ? "content" : "none", "none", "eContent");
        var certificates = new X509Certificate2Collection();
        AsnReader certificateSet = signedData.ReadSetOf(new Asn1Tag(TagClass.ContextSpecific, 0));
        while (certificateSet.HasData)
        {
            certificates.Add(X509CertificateLoader.LoadCertificate(certificateSet.ReadEncodedValue().ToArray()));
        }

        if (signedData.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
        {
            _ = signedData.ReadEncodedValue();
        }

        Expect(signedData.ReadSetOf().HasData ? "signers" : "none", "none", "signerInfos");
        signedData.ThrowIfNotEmpty();
        return certificates;
    }

    /// <summary>The one certificate of a successful enrollment answer.</summary>
    public static async Task<X509Certificate2> ReadIssuedAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        X509Certificate2Collection certificates = ReadCertsOnly(body);
        return certificates.Count == 1
            ? certificates[0]
            : throw new FormatException($"an enrollment answer holds one certificate, this one holds {certificates.Count}");
    }

    private static void Expect(string actual, string expected, string what)
    {
        if (actual != expected)
        {
            throw new FormatException($"certs-only {what}: expected {expected}, found {actual}");
        }
    }
}
