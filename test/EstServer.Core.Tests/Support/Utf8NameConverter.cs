using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Tests.Support;

/// <summary>Encodes every name value as UTF8String, as a device stack may (BouncyCastle's default makes serialNumber a PrintableString).</summary>
internal sealed class Utf8NameConverter : X509NameEntryConverter
{
    public override Asn1Object GetConvertedValue(DerObjectIdentifier oid, string value) => new DerUtf8String(value);
}
