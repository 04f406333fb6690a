namespace EstServer.Core.Issuance;

/// <summary>
/// Where relying parties check revocation: the URLs written into every issued certificate's CRL
/// distribution points (RFC 5280 §4.2.1.13) and authority information access (§4.2.2.1). The host
/// serves them on its plain-HTTP listener; RFC 5280 §4.2.1.13 expects http (a client checking
/// revocation will not first do TLS, whose own check would need revocation), https is tolerated.
/// </summary>
public sealed record RevocationEndpoints
{
    private readonly string _base;

    public RevocationEndpoints(Uri publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        if (!publicBaseUrl.IsAbsoluteUri || (publicBaseUrl.Scheme != Uri.UriSchemeHttp && publicBaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"the public revocation base URL {publicBaseUrl} must be an absolute http or https URL", nameof(publicBaseUrl));
        }

        if (publicBaseUrl.Query.Length > 0 || publicBaseUrl.Fragment.Length > 0 || publicBaseUrl.UserInfo.Length > 0)
        {
            throw new ArgumentException($"the public revocation base URL {publicBaseUrl} may not carry a query, fragment or user info", nameof(publicBaseUrl));
        }

        _base = publicBaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        PublicBaseUrl = new Uri(_base + "/");
        OcspUrl = new Uri(_base + "/ocsp");
    }

    /// <summary>The base, always ending in a slash.</summary>
    public Uri PublicBaseUrl { get; }

    /// <summary>The OCSP responder (RFC 6960 Appendix A: POST to it, or GET below it).</summary>
    public Uri OcspUrl { get; }

    /// <summary>The DER CRL of the CA with this key identifier (RFC 5280 §4.2.1.13 expects a single DER CRL at an http URL).</summary>
    public Uri CrlUrl(string issuerKeyId) => new($"{_base}/crl/{CheckedKeyId(issuerKeyId)}.crl");

    /// <summary>The DER certificate of the CA with this key identifier (RFC 5280 §4.2.2.1 caIssuers, a single DER certificate).</summary>
    public Uri CaIssuersUrl(string issuerKeyId) => new($"{_base}/ca/{CheckedKeyId(issuerKeyId)}.crt");

    public bool Equals(RevocationEndpoints? other) => other is not null && _base == other._base;

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_base);

    private static string CheckedKeyId(string issuerKeyId) =>
        !string.IsNullOrEmpty(issuerKeyId) && issuerKeyId.All(char.IsAsciiHexDigit)
            ? issuerKeyId
            : throw new ArgumentException($"'{issuerKeyId}' is not a hex key identifier", nameof(issuerKeyId));
}
