using System.Text.RegularExpressions;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Profiles.Loading;

/// <summary>The names a profile file may use, mapped to what they mean.</summary>
public static partial class ProfileVocabulary
{
    /// <summary>RFC 5280 §4.2.1.3 names. keyCertSign and cRLSign are absent: EST here issues end-entity certificates only.</summary>
    public static readonly IReadOnlyDictionary<string, int> KeyUsages = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["digitalSignature"] = KeyUsage.DigitalSignature,
        ["nonRepudiation"] = KeyUsage.NonRepudiation,
        ["contentCommitment"] = KeyUsage.NonRepudiation,
        ["keyEncipherment"] = KeyUsage.KeyEncipherment,
        ["dataEncipherment"] = KeyUsage.DataEncipherment,
        ["keyAgreement"] = KeyUsage.KeyAgreement,
        ["encipherOnly"] = KeyUsage.EncipherOnly,
        ["decipherOnly"] = KeyUsage.DecipherOnly,
    };

    /// <summary>RFC 5280 §4.2.1.12 key purposes by name; any dotted OID is accepted too.</summary>
    public static readonly IReadOnlyDictionary<string, string> ExtendedKeyUsages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["serverAuth"] = "1.3.6.1.5.5.7.3.1",
        ["clientAuth"] = "1.3.6.1.5.5.7.3.2",
        ["codeSigning"] = "1.3.6.1.5.5.7.3.3",
        ["emailProtection"] = "1.3.6.1.5.5.7.3.4",
        ["timeStamping"] = "1.3.6.1.5.5.7.3.8",
        ["OCSPSigning"] = "1.3.6.1.5.5.7.3.9",
    };

    /// <summary>Extensions by name for csrExtensions; any dotted OID is accepted too.</summary>
    public static readonly IReadOnlyDictionary<string, string> Extensions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["subjectAltName"] = "2.5.29.17",
        ["keyUsage"] = "2.5.29.15",
        ["extendedKeyUsage"] = "2.5.29.37",
        ["basicConstraints"] = "2.5.29.19",
        ["subjectKeyIdentifier"] = "2.5.29.14",
        ["authorityKeyIdentifier"] = "2.5.29.35",
        ["certificatePolicies"] = "2.5.29.32",
        ["subjectDirectoryAttributes"] = "2.5.29.9",
    };

    public static readonly IReadOnlyDictionary<string, SubjectAltNameType> SubjectAltNameTypes = new Dictionary<string, SubjectAltNameType>(StringComparer.Ordinal)
    {
        ["dns"] = SubjectAltNameType.Dns,
        ["ip"] = SubjectAltNameType.Ip,
        ["email"] = SubjectAltNameType.Email,
        ["uri"] = SubjectAltNameType.Uri,
    };

    public static readonly IReadOnlySet<string> Curves = new HashSet<string>(StringComparer.Ordinal) { "P-256", "P-384", "P-521" };

    /// <summary>Names that are EST operations (RFC 7030 §3.2.2) and so cannot be labels.</summary>
    public static readonly IReadOnlySet<string> Operations = new HashSet<string>(StringComparer.Ordinal)
    {
        "cacerts", "simpleenroll", "simplereenroll", "csrattrs", "serverkeygen", "fullcmc",
    };

    /// <summary>A subject attribute type by its usual short name (CN, O, serialNumber…) or a dotted OID.</summary>
    public static (string Oid, string Name)? SubjectAttribute(string name)
    {
        if (IsOid(name))
        {
            var oid = new DerObjectIdentifier(name);
            return (name, X509Name.DefaultSymbols.TryGetValue(oid, out string? symbol) ? symbol : name);
        }

        return X509Name.DefaultLookup.TryGetValue(name.ToLowerInvariant(), out DerObjectIdentifier? found) ? (found.Id, name) : null;
    }

    /// <summary>A dotted object identifier as X.660 allows: first arc 0–2, at least two arcs.</summary>
    public static bool IsOid(string value) => OidSyntax().IsMatch(value) && DerObjectIdentifier.TryFromID(value, out _);

    public static bool IsLabel(string value) => LabelSyntax().IsMatch(value) && value is not "." and not "..";

    [GeneratedRegex(@"^[0-2](\.(0|[1-9][0-9]*))+$", RegexOptions.CultureInvariant)]
    private static partial Regex OidSyntax();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelSyntax();
}
