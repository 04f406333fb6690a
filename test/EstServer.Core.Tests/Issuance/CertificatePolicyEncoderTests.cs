using System.Formats.Asn1;
using EstServer.Core.Issuance;
using EstServer.Core.Profiles;
using Org.BouncyCastle.Asn1;

namespace EstServer.Core.Tests.Issuance;

public class CertificatePolicyEncoderTests
{
    [Test]
    public void Encode_PolicyWithoutQualifiers_PolicyIdentifierOnly()
    {
        byte[] der = CertificatePolicyEncoder.Encode([new CertificatePolicy("2.999.1")]).GetEncoded(Asn1Encodable.Der);

        Assert.That(der, Is.EqualTo(Expected(writer => Policy(writer, "2.999.1", null, null))));
    }

    [Test]
    public void Encode_CpsOnly_OneCpsQualifier()
    {
        byte[] der = CertificatePolicyEncoder.Encode([new CertificatePolicy("2.999.1", "http://pki.example.com/cps")]).GetEncoded(Asn1Encodable.Der);

        Assert.That(der, Is.EqualTo(Expected(writer => Policy(writer, "2.999.1", "http://pki.example.com/cps", null))));
    }

    [Test]
    public void Encode_NonAsciiNotice_Utf8StringExplicitText()
    {
        const string notice = "Ausgestellt für Geräte — Richtlinie 1";

        byte[] der = CertificatePolicyEncoder.Encode([new CertificatePolicy("2.999.1", UserNotice: notice)]).GetEncoded(Asn1Encodable.Der);

        Assert.That(der, Is.EqualTo(Expected(writer => Policy(writer, "2.999.1", null, notice))));
    }

    [Test]
    public void Encode_SeveralPolicies_KeptInProfileOrder()
    {
        byte[] der = CertificatePolicyEncoder.Encode([
            new CertificatePolicy("2.999.2", "https://a.example/cps", "first"),
            new CertificatePolicy("2.999.1"),
        ]).GetEncoded(Asn1Encodable.Der);

        Assert.That(der, Is.EqualTo(Expected(writer =>
        {
            Policy(writer, "2.999.2", "https://a.example/cps", "first");
            Policy(writer, "2.999.1", null, null);
        })));
    }

    /// <summary>RFC 5280 §4.2.1.4 written with AsnWriter: certificatePolicies ::= SEQUENCE OF PolicyInformation.</summary>
    private static byte[] Expected(Action<AsnWriter> policies)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            policies(writer);
        }

        return writer.Encode();
    }

    private static void Policy(AsnWriter writer, string oid, string? cps, string? notice)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (cps is null && notice is null)
            {
                return;
            }

            using (writer.PushSequence())
            {
                if (cps is not null)
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier("1.3.6.1.5.5.7.2.1");
                        writer.WriteCharacterString(UniversalTagNumber.IA5String, cps);
                    }
                }

                if (notice is not null)
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier("1.3.6.1.5.5.7.2.2");
                        using (writer.PushSequence())
                        {
                            writer.WriteCharacterString(UniversalTagNumber.UTF8String, notice);
                        }
                    }
                }
            }
        }
    }
}
