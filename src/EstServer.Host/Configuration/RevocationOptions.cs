namespace EstServer.Host.Configuration;

/// <summary>
/// The "Est:Revocation" section: where CRLs and OCSP are served and what address certificates name for
/// them (RFC 5280 §4.2.1.13 CRL distribution points, §4.2.2.1 authority information access).
/// </summary>
public sealed record RevocationOptions
{
    public const string DefaultHttpUrl = "http://localhost:8080";

    private const string Wildcard = "wildcard";

    /// <summary>
    /// A plain-HTTP listener for /crl, /ocsp and /ca only (relying parties fetch these over HTTP: RFC 5280
    /// §4.2.1.13, RFC 6960 Appendix A); EST and admin routes stay HTTPS-only. Empty or "off": no listener.
    /// </summary>
    public string HttpUrl { get; init; } = DefaultHttpUrl;

    /// <summary>
    /// The base URL written into issued certificates (CDP, AIA), e.g. http://pki.example.com. Empty: the
    /// HTTP listener's address when it names a host and port, else certificates carry no such pointers.
    /// Hosts and signers must agree on it.
    /// </summary>
    public string PublicBaseUrl { get; init; } = "";

    /// <summary>PEM certificate of the delegated OCSP responder (EKU id-kp-OCSPSigning, issued by the CA). Needed on hosts without the CA key outside the development PKI.</summary>
    public string OcspCertificatePath { get; init; } = "";

    /// <summary>PEM private key of the OCSP responder certificate.</summary>
    public string OcspKeyPath { get; init; } = "";

    /// <summary>nextUpdate − thisUpdate of each CRL; a CRL is reissued within seconds of a revocation and when half of this has passed.</summary>
    public TimeSpan CrlValidity { get; init; } = TimeSpan.FromHours(24);

    public bool ServesHttp => !string.IsNullOrWhiteSpace(HttpUrl) && !string.Equals(HttpUrl.Trim(), "off", StringComparison.OrdinalIgnoreCase);

    public bool HasOcspFiles => !string.IsNullOrWhiteSpace(OcspCertificatePath);

    /// <summary>The base URL for certificates, or null when none can be named (see <see cref="PublicBaseUrl"/>).</summary>
    public Uri? EffectivePublicBaseUrl()
    {
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl))
        {
            return new Uri(PublicBaseUrl.Trim(), UriKind.Absolute);
        }

        // A wildcard or an ephemeral port is not an address a relying party can use.
        return HttpListenerUri is { } listener && listener.Host is not (Wildcard or "0.0.0.0" or "[::]") && listener.Port != 0
            ? new Uri(listener.GetLeftPart(UriPartial.Authority))
            : null;
    }

    /// <summary>The listener address parsed (Kestrel's * and + wildcards read as a placeholder host), or null when off or not a URL.</summary>
    public Uri? HttpListenerUri =>
        ServesHttp && Uri.TryCreate(HttpUrl.Trim().Replace("://*", "://" + Wildcard, StringComparison.Ordinal).Replace("://+", "://" + Wildcard, StringComparison.Ordinal), UriKind.Absolute, out Uri? listener)
            ? listener
            : null;
}
