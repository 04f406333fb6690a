using System.Formats.Asn1;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>Fields read straight out of a PKCS#10 request (RFC 2986 §4), for comparing with what was issued.</summary>
public static class CsrFields
{
    public static byte[] SubjectPublicKeyInfo(byte[] csrDer) => Info(csrDer, skip: 2).ReadEncodedValue().ToArray();

    public static byte[] Subject(byte[] csrDer) => Info(csrDer, skip: 1).ReadEncodedValue().ToArray();

    private static AsnReader Info(byte[] csrDer, int skip)
    {
        AsnReader info = new AsnReader(csrDer, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        for (int i = 0; i < skip; i++)
        {
            _ = info.ReadEncodedValue();
        }

        return info;
    }
}
