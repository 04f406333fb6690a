using System.Net;
using EstServer.Core.Errors;
using EstServer.Core.Profiles;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Pipeline;

/// <summary>Checks requested subjectAltName entries against the profile's rules (types, patterns, counts).</summary>
public static class SubjectAltNameChecker
{
    public static EstError? Check(GeneralNames? requested, CertificateProfile profile)
    {
        if (profile.SubjectAltNameRules is not { } rules)
        {
            return null;
        }

        var counts = new Dictionary<SubjectAltNameType, int>();
        foreach (GeneralName name in requested?.GetNames() ?? [])
        {
            if (Describe(name) is not ({ } type, { } value))
            {
                return EstError.BadRequest($"subjectAltName entries of kind [{name.TagNo}] are not allowed by profile '{profile.Name}'");
            }

            if (SyntaxProblem(type, value) is { } syntax)
            {
                return EstError.BadRequest(syntax);
            }

            SubjectAltNameRule? rule = rules.FirstOrDefault(r => r.Type == type);
            if (rule is null)
            {
                return EstError.BadRequest($"subjectAltName {Label(type)} entries are not allowed by profile '{profile.Name}'");
            }

            if (rule.Pattern is { } pattern && !pattern.IsMatch(value))
            {
                return EstError.BadRequest($"subjectAltName {Label(type)} '{value}' does not match the profile's pattern {pattern}");
            }

            counts[type] = counts.GetValueOrDefault(type) + 1;
            if (counts[type] > rule.Max)
            {
                return EstError.BadRequest($"at most {rule.Max} subjectAltName {Label(type)} entries are allowed");
            }
        }

        foreach (SubjectAltNameRule rule in rules)
        {
            if (counts.GetValueOrDefault(rule.Type) < rule.Min)
            {
                return EstError.BadRequest($"at least {rule.Min} subjectAltName {Label(rule.Type)} entries are required");
            }
        }

        return null;
    }

    /// <summary>The names as the store and logs show them ("dns:a.example, ip:10.0.0.1"); names of other types are shown by tag.</summary>
    public static string Text(GeneralNames? names) =>
        names is null ? "" : string.Join(", ", names.GetNames().Select(name => Describe(name) is ({ } type, { } value) ? $"{Label(type)}:{value}" : $"tag{name.TagNo}"));

    public static string Label(SubjectAltNameType type) => type switch
    {
        SubjectAltNameType.Dns => "dns",
        SubjectAltNameType.Ip => "ip",
        SubjectAltNameType.Email => "email",
        _ => "uri",
    };

    private static (SubjectAltNameType?, string?) Describe(GeneralName name) => name.TagNo switch
    {
        GeneralName.DnsName => (SubjectAltNameType.Dns, ((IAsn1String)name.Name).GetString()),
        GeneralName.Rfc822Name => (SubjectAltNameType.Email, ((IAsn1String)name.Name).GetString()),
        GeneralName.UniformResourceIdentifier => (SubjectAltNameType.Uri, ((IAsn1String)name.Name).GetString()),
        GeneralName.IPAddress => (SubjectAltNameType.Ip, IpText(Asn1OctetString.GetInstance(name.Name).GetOctets())),
        _ => (null, null),
    };

    /// <summary>
    /// RFC 5280 §4.2.1.6 wants real names whatever a profile's pattern allows: a dNSName in RFC 1034
    /// preferred syntax (letters, digits, hyphens; labels of 1-63 characters; 253 at most; no
    /// wildcards for a device), and bounded mail addresses and URIs.
    /// </summary>
    private static string? SyntaxProblem(SubjectAltNameType type, string value)
    {
        switch (type)
        {
            case SubjectAltNameType.Dns:
                string[] labels = value.Split('.');
                bool valid = value.Length is > 0 and <= 253
                    && labels.All(label => label.Length is > 0 and <= 63
                        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                        && label[0] != '-' && label[^1] != '-');
                return valid ? null : $"subjectAltName dns '{Shorten(value)}' is not a valid DNS name (RFC 1034: labels of 1-63 letters, digits and hyphens; 253 characters at most)";
            case SubjectAltNameType.Email:
                return value.Length <= 254 && value.Count(c => c == '@') == 1 ? null : $"subjectAltName email '{Shorten(value)}' is not a mail address";
            case SubjectAltNameType.Uri:
                return value.Length <= 2048 && Uri.TryCreate(value, UriKind.Absolute, out _) ? null : $"subjectAltName uri '{Shorten(value)}' is not an absolute URI";
            default:
                return null;
        }
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";

    private static string? IpText(byte[] octets) => octets.Length is 4 or 16 ? new IPAddress(octets).ToString() : null;
}
