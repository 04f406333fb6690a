using System.Formats.Asn1;

namespace EstServer.Host.Tests.Support;

/// <summary>Reads what a test needs out of a PKCS#10 request (RFC 2986 §4) without the server's decoder.</summary>
internal static class CsrInfo
{
    /// <summary>The DER SubjectPublicKeyInfo the request asks to have certified.</summary>
    public static byte[] SubjectPublicKeyInfo(byte[] csrDer)
    {
        AsnReader request = new AsnReader(csrDer, AsnEncodingRules.DER).ReadSequence();
        AsnReader info = request.ReadSequence();
        _ = info.ReadInteger();
        _ = info.ReadEncodedValue();
        return info.ReadEncodedValue().ToArray();
    }
}
