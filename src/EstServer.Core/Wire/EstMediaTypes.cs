namespace EstServer.Core.Wire;

/// <summary>Media types of RFC 7030 §4 (with the RFC 8951 clarifications).</summary>
public static class EstMediaTypes
{
    public const string Pkcs10 = "application/pkcs10";
    public const string CertsOnly = "application/pkcs7-mime; smime-type=certs-only";
    public const string CsrAttrs = "application/csrattrs";
    public const string PlainText = "text/plain; charset=utf-8";
}
