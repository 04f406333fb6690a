using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EstServer.Core.Trust;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EstServer.Core.Profiles.Loading;

/// <summary>
/// Reads one profile file. It walks the YAML node tree itself rather than deserialising, so that every
/// problem, including a misspelt field, is reported with the line and column where it was written,
/// and it carries on after a problem so that one run reports them all.
/// </summary>
internal sealed class ProfileYamlReader
{
    /// <summary>Patterns are run on every request; a pathological one must not stall the server.</summary>
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    private readonly string _file;
    private readonly ProfileLoadContext _context;
    private readonly List<ProfileDiagnostic> _diagnostics;

    private ProfileYamlReader(string file, ProfileLoadContext context, List<ProfileDiagnostic> diagnostics)
    {
        _file = file;
        _context = context;
        _diagnostics = diagnostics;
    }

    public static ProfileFile Read(string file, string text, ProfileLoadContext context, List<ProfileDiagnostic> diagnostics) =>
        new ProfileYamlReader(file, context, diagnostics).Read(text);

    private ProfileFile Read(string text)
    {
        var empty = new ProfileFile(null, _file, null, (1, 1), [], null);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            _diagnostics.Add(new ProfileDiagnostic(_file, (int)exception.Start.Line, (int)exception.Start.Column, "yaml", OneLine(exception.Message)));
            return empty;
        }
        catch (InvalidOperationException exception)
        {
            // YamlDotNet reports some malformed documents (an unclosed flow list before the next key)
            // this way, without a position; the whole file is named instead.
            _diagnostics.Add(new ProfileDiagnostic(_file, 1, 1, "yaml", $"not valid YAML: {OneLine(exception.Message)}"));
            return empty;
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            _diagnostics.Add(new ProfileDiagnostic(_file, 1, 1, "yaml", "a profile file holds exactly one YAML mapping (name: ..., policies: ..., ...)"));
            return empty;
        }

        int before = _diagnostics.Count;
        Dictionary<string, YamlNode> fields = Fields(root, "profile",
            "name", "description", "labels", "default", "policies", "validity", "backdate", "serialBytes", "keyUsage",
            "extendedKeyUsage", "basicConstraintsCritical", "keys", "subject", "subjectAltName", "csrExtensions", "enroll", "reenroll");

        string? name = RequiredString(fields, "name", root);
        if (name is not null && !ProfileVocabulary.IsLabel(name))
        {
            Error(fields["name"], "name", $"profile name '{name}' must be 1-64 letters, digits, '.', '_' or '-'");
        }

        var labels = new List<(string, int, int)>();
        foreach ((string label, YamlNode node) in StringList(fields, "labels"))
        {
            if (!ProfileVocabulary.IsLabel(label))
            {
                Error(node, "labels", $"label '{label}' must be one URL path segment of letters, digits, '.', '_' or '-'");
            }
            else if (ProfileVocabulary.Operations.Contains(label))
            {
                Error(node, "labels", $"label '{label}' is an EST operation name");
            }
            else
            {
                labels.Add((label, Line(node), Column(node)));
            }
        }

        bool isDefault = Bool(fields, "default") ?? false;
        TimeSpan? parsedValidity = RequiredDuration(fields, "validity", root);
        TimeSpan validity = parsedValidity ?? TimeSpan.Zero;
        if (parsedValidity is not null && fields.TryGetValue("validity", out YamlNode? validityNode))
        {
            if (validity <= TimeSpan.Zero)
            {
                Error(validityNode, "validity", "validity must be longer than zero");
            }
            else if (_context.IssuingCaLifetime is { } caLifetime && validity > caLifetime)
            {
                Error(validityNode, "validity", $"validity {Scalar(validityNode)} is longer than the issuing CA's own validity ({caLifetime.TotalDays:0} days)");
            }
        }

        TimeSpan backdate = Duration(fields, "backdate") ?? TimeSpan.FromMinutes(5);
        if (backdate > TimeSpan.FromDays(1))
        {
            Error(fields["backdate"], "backdate", "backdate must be at most 1d");
        }

        int serialBytes = Int(fields, "serialBytes") ?? 16;
        if (serialBytes is < 9 or > 20)
        {
            Error(fields["serialBytes"], "serialBytes", "serialBytes must be 9 to 20 (RFC 5280 §4.1.2.2 allows 20; 9 octets carry more than the 64 random bits the CA/B Forum asks for)");
        }

        var profile = new CertificateProfile
        {
            Name = name ?? "",
            Description = String(fields, "description") ?? "",
            Version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12],
            SourceFile = _file,
            Labels = labels.Select(l => l.Item1).ToArray(),
            ServesUnlabelled = isDefault,
            Policies = Policies(fields, root),
            Validity = validity,
            Backdate = backdate,
            SerialBytes = serialBytes,
            KeyUsage = KeyUsage(fields, root),
            ExtendedKeyUsages = ExtendedKeyUsages(fields),
            BasicConstraintsCritical = Bool(fields, "basicConstraintsCritical") ?? true,
            Keys = Keys(fields, root),
            SubjectRules = Subject(fields, root),
            SubjectAltNameRules = SubjectAltNames(fields),
            CsrExtensions = CsrExtensions(fields),
            DeviceIdentityAnchors = Enroll(fields, root),
            Reenroll = Reenroll(fields),
        };

        CheckCoherence(profile, fields, root);
        (int, int)? defaultAt = isDefault ? (Line(fields["default"]), Column(fields["default"])) : null;
        (int, int) nameAt = fields.TryGetValue("name", out YamlNode? nameNode) ? (Line(nameNode), Column(nameNode)) : (1, 1);
        return new ProfileFile(_diagnostics.Count == before ? profile : null, _file, name, nameAt, labels, defaultAt);
    }

    /// <summary>Rules that are each valid but together make a profile that could never issue.</summary>
    private void CheckCoherence(CertificateProfile profile, Dictionary<string, YamlNode> fields, YamlNode root)
    {
        int usage = profile.KeyUsage;
        int anyKey = usage & ~(Org.BouncyCastle.Asn1.X509.KeyUsage.KeyEncipherment | Org.BouncyCastle.Asn1.X509.KeyUsage.KeyAgreement);
        if (usage != 0 && anyKey == 0 && fields.TryGetValue("keyUsage", out YamlNode? usageNode))
        {
            bool rsaOnlyUsage = (usage & Org.BouncyCastle.Asn1.X509.KeyUsage.KeyAgreement) == 0;
            bool ecOnlyUsage = (usage & Org.BouncyCastle.Asn1.X509.KeyUsage.KeyEncipherment) == 0;
            if ((rsaOnlyUsage && (profile.Keys.AllowedCurves.Count > 0 || profile.Keys.AllowEd25519)) || (ecOnlyUsage && (profile.Keys.AllowRsa || profile.Keys.AllowEd25519)))
            {
                Error(usageNode, "keyUsage", "these key usages leave some allowed key types with none (keyEncipherment applies to RSA keys only, keyAgreement to EC keys only); add digitalSignature or narrow keys");
            }
        }

        if (profile.SubjectAltNameRules?.Any(rule => rule.Min > 0) == true
            && profile.CsrExtensions.ActionFor(CsrExtensionPolicy.SubjectAltNameOid) != CsrExtensionAction.Honour)
        {
            Error(fields.GetValueOrDefault("subjectAltName") ?? root, "subjectAltName", "a subjectAltName is required (min > 0) but csrExtensions does not honour subjectAltName, so no request could pass");
        }
    }

    private IReadOnlyList<CertificatePolicy> Policies(Dictionary<string, YamlNode> fields, YamlNode root)
    {
        var policies = new List<CertificatePolicy>();
        if (!fields.TryGetValue("policies", out YamlNode? node))
        {
            Error(root, "policies", "missing required field 'policies': every certificate must name the policy it is issued under");
            return policies;
        }

        foreach (YamlNode item in Sequence(node, "policies"))
        {
            if (Mapping(item, "policies") is not { } map)
            {
                continue;
            }

            Dictionary<string, YamlNode> policy = Fields(map, "policies entry", "oid", "cps", "notice");
            string? oid = RequiredString(policy, "oid", map);
            if (oid is not null && !ProfileVocabulary.IsOid(oid))
            {
                Error(policy["oid"], "policies.oid", $"'{oid}' is not a dotted object identifier (e.g. 1.3.6.1.4.1.99999.1.1)");
            }

            if (policies.Any(p => p.Oid == oid))
            {
                Error(policy["oid"], "policies.oid", $"policy {oid} is listed twice");
            }

            string? cps = String(policy, "cps");
            if (cps is not null && !(Uri.TryCreate(cps, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"))
            {
                Error(policy["cps"], "policies.cps", $"cps '{cps}' must be an absolute http or https URI");
            }

            string? notice = String(policy, "notice");
            if (notice is not null && notice.Length is 0 or > 200)
            {
                Error(policy["notice"], "policies.notice", "notice must be 1-200 characters (RFC 5280 §4.2.1.4)");
            }

            if (oid is not null)
            {
                policies.Add(new CertificatePolicy(oid, cps, notice));
            }
        }

        if (policies.Count == 0 && node is YamlSequenceNode { Children.Count: 0 })
        {
            Error(node, "policies", "at least one policy is required");
        }

        return policies;
    }

    private int KeyUsage(Dictionary<string, YamlNode> fields, YamlNode root)
    {
        if (!fields.ContainsKey("keyUsage"))
        {
            Error(root, "keyUsage", "missing required field 'keyUsage' (e.g. [digitalSignature])");
            return 0;
        }

        int bits = 0;
        List<(string, YamlNode)> names = StringList(fields, "keyUsage");
        foreach ((string name, YamlNode node) in names)
        {
            if (ProfileVocabulary.KeyUsages.TryGetValue(name, out int bit))
            {
                bits |= bit;
            }
            else
            {
                Error(node, "keyUsage", name is "keyCertSign" or "cRLSign"
                    ? $"'{name}' is for CA certificates; profiles issue end-entity certificates only"
                    : $"unknown key usage '{name}' (known: {string.Join(", ", ProfileVocabulary.KeyUsages.Keys)})");
            }
        }

        if (names.Count == 0)
        {
            Error(fields["keyUsage"], "keyUsage", "at least one key usage is required");
        }

        return bits;
    }

    private string[] ExtendedKeyUsages(Dictionary<string, YamlNode> fields)
    {
        var oids = new List<string>();
        foreach ((string name, YamlNode node) in StringList(fields, "extendedKeyUsage"))
        {
            if (ProfileVocabulary.ExtendedKeyUsages.TryGetValue(name, out string? oid))
            {
                oids.Add(oid);
            }
            else if (ProfileVocabulary.IsOid(name))
            {
                oids.Add(name);
            }
            else
            {
                Error(node, "extendedKeyUsage", $"unknown extended key usage '{name}' (use a dotted OID or one of {string.Join(", ", ProfileVocabulary.ExtendedKeyUsages.Keys)})");
            }
        }

        return oids.Distinct(StringComparer.Ordinal).ToArray();
    }

    private KeyPolicy Keys(Dictionary<string, YamlNode> fields, YamlNode root)
    {
        if (!fields.TryGetValue("keys", out YamlNode? node))
        {
            Error(root, "keys", "missing required field 'keys' (allowed key algorithms: ec, rsa, ed25519)");
            return KeyPolicy.DeviceDefault;
        }

        if (Mapping(node, "keys") is not { } map)
        {
            return KeyPolicy.DeviceDefault;
        }

        Dictionary<string, YamlNode> keys = Fields(map, "keys", "ec", "rsa", "ed25519");
        var curves = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string curve, YamlNode curveNode) in StringList(keys, "ec"))
        {
            if (ProfileVocabulary.Curves.Contains(curve))
            {
                curves.Add(curve);
            }
            else
            {
                Error(curveNode, "keys.ec", $"unknown curve '{curve}' (known: {string.Join(", ", ProfileVocabulary.Curves)})");
            }
        }

        bool allowRsa = false;
        int minBits = 2048;
        int maxBits = 8192;
        if (keys.TryGetValue("rsa", out YamlNode? rsaNode) && Mapping(rsaNode, "keys.rsa") is { } rsaMap)
        {
            Dictionary<string, YamlNode> rsa = Fields(rsaMap, "keys.rsa", "minBits", "maxBits");
            allowRsa = true;
            minBits = Int(rsa, "minBits") ?? 2048;
            maxBits = Int(rsa, "maxBits") ?? 8192;
            if (minBits < 2048)
            {
                Error(rsa["minBits"], "keys.rsa", "minBits below 2048 is not allowed (NIST SP 800-131A)");
            }

            if (maxBits < minBits || maxBits > 16384)
            {
                Error(rsa.GetValueOrDefault("maxBits") ?? rsaMap, "keys.rsa", "maxBits must be at least minBits and at most 16384");
            }
        }

        bool ed25519 = Bool(keys, "ed25519") ?? false;
        if (curves.Count == 0 && !allowRsa && !ed25519)
        {
            Error(node, "keys", "no key algorithm is allowed; list ec curves, rsa sizes or ed25519: true");
        }

        return new KeyPolicy { AllowedCurves = curves, AllowRsa = allowRsa, MinRsaBits = minBits, MaxRsaBits = maxBits, AllowEd25519 = ed25519 };
    }

    private SubjectAttributeRule[] Subject(Dictionary<string, YamlNode> fields, YamlNode root)
    {
        var rules = new List<SubjectAttributeRule>();
        if (!fields.TryGetValue("subject", out YamlNode? node))
        {
            Error(root, "subject", "missing required field 'subject' (the attributes the issued subject may carry)");
            return [];
        }

        foreach (YamlNode item in Sequence(node, "subject"))
        {
            if (Mapping(item, "subject") is not { } map)
            {
                continue;
            }

            Dictionary<string, YamlNode> attribute = Fields(map, "subject entry", "type", "required", "pattern", "value", "from");
            string? type = RequiredString(attribute, "type", map);
            if (type is null)
            {
                continue;
            }

            if (ProfileVocabulary.SubjectAttribute(type) is not var (oid, display))
            {
                Error(attribute["type"], "subject.type", $"unknown subject attribute type '{type}' (use CN, O, OU, C, ST, L, serialNumber, DC, UID… or a dotted OID)");
                continue;
            }

            if (rules.Any(r => r.Oid == oid))
            {
                Error(attribute["type"], "subject.type", $"subject attribute {type} is listed twice");
            }

            string? value = String(attribute, "value");
            string? from = String(attribute, "from");
            SubjectValueSource source = SubjectValueSource.Csr;
            if (value is not null && from is not null)
            {
                Error(attribute["from"], "subject.from", "give either 'value' (fixed) or 'from', not both");
            }
            else if (value is not null)
            {
                source = SubjectValueSource.Fixed;
            }
            else if (from is not null)
            {
                source = from switch
                {
                    "csr" => SubjectValueSource.Csr,
                    "clientCertificate" => SubjectValueSource.ClientCertificate,
                    _ => SubjectValueSource.Csr,
                };
                if (from is not "csr" and not "clientCertificate")
                {
                    Error(attribute["from"], "subject.from", $"'from' is csr or clientCertificate, not '{from}'");
                }
            }

            Regex? pattern = Pattern(attribute, "subject.pattern");
            if (source != SubjectValueSource.Csr && (pattern is not null || attribute.ContainsKey("required")))
            {
                Error(map, "subject", $"{type}: 'pattern' and 'required' apply only to values taken from the CSR");
            }

            rules.Add(new SubjectAttributeRule
            {
                Oid = oid,
                Name = display,
                Source = source,
                Required = Bool(attribute, "required") ?? false,
                Pattern = pattern,
                FixedValue = value,
            });
        }

        return rules.ToArray();
    }

    private SubjectAltNameRule[] SubjectAltNames(Dictionary<string, YamlNode> fields)
    {
        var rules = new List<SubjectAltNameRule>();
        if (!fields.TryGetValue("subjectAltName", out YamlNode? node))
        {
            return [];
        }

        foreach (YamlNode item in Sequence(node, "subjectAltName"))
        {
            if (Mapping(item, "subjectAltName") is not { } map)
            {
                continue;
            }

            Dictionary<string, YamlNode> entry = Fields(map, "subjectAltName entry", "type", "pattern", "min", "max");
            string? type = RequiredString(entry, "type", map);
            if (type is null)
            {
                continue;
            }

            if (!ProfileVocabulary.SubjectAltNameTypes.TryGetValue(type, out SubjectAltNameType kind))
            {
                Error(entry["type"], "subjectAltName.type", $"unknown subjectAltName type '{type}' (known: dns, ip, email, uri)");
                continue;
            }

            if (rules.Any(r => r.Type == kind))
            {
                Error(entry["type"], "subjectAltName.type", $"subjectAltName type {type} is listed twice");
            }

            int min = Int(entry, "min") ?? 0;
            int max = Int(entry, "max") ?? Math.Max(1, min);
            if (min < 0 || max < min || max > 100)
            {
                Error(map, "subjectAltName", $"{type}: need 0 <= min <= max <= 100");
            }

            rules.Add(new SubjectAltNameRule { Type = kind, Pattern = Pattern(entry, "subjectAltName.pattern"), Min = min, Max = max });
        }

        return rules.ToArray();
    }

    private CsrExtensionPolicy CsrExtensions(Dictionary<string, YamlNode> fields)
    {
        if (!fields.TryGetValue("csrExtensions", out YamlNode? node))
        {
            return CsrExtensionPolicy.DeviceDefault;
        }

        if (Mapping(node, "csrExtensions") is not { } map)
        {
            return CsrExtensionPolicy.DeviceDefault;
        }

        Dictionary<string, YamlNode> lists = Fields(map, "csrExtensions", "honour", "ignore", "reject", "default");
        var actions = new Dictionary<string, CsrExtensionAction>(StringComparer.Ordinal);
        foreach ((string key, CsrExtensionAction action) in new[] { ("honour", CsrExtensionAction.Honour), ("ignore", CsrExtensionAction.Ignore), ("reject", CsrExtensionAction.Reject) })
        {
            foreach ((string name, YamlNode itemNode) in StringList(lists, key))
            {
                string? oid = ProfileVocabulary.Extensions.TryGetValue(name, out string? known) ? known : ProfileVocabulary.IsOid(name) ? name : null;
                if (oid is null)
                {
                    Error(itemNode, "csrExtensions", $"unknown extension '{name}' (use a dotted OID or one of {string.Join(", ", ProfileVocabulary.Extensions.Keys)})");
                }
                else if (action == CsrExtensionAction.Honour && CsrExtensionPolicy.ProfileOwned.Contains(oid))
                {
                    Error(itemNode, "csrExtensions", $"'{name}' is set by the profile itself and cannot be honoured from a CSR; list it under ignore or reject");
                }
                else if (!actions.TryAdd(oid, action))
                {
                    Error(itemNode, "csrExtensions", $"'{name}' is listed under more than one of honour, ignore, reject");
                }
            }
        }

        CsrExtensionAction fallback = CsrExtensionAction.Reject;
        if (String(lists, "default") is { } defaultText)
        {
            switch (defaultText)
            {
                case "reject":
                    break;
                case "ignore":
                    fallback = CsrExtensionAction.Ignore;
                    break;
                default:
                    Error(lists["default"], "csrExtensions.default", "default is reject or ignore (copying unknown extensions blindly is never safe)");
                    break;
            }
        }

        return new CsrExtensionPolicy { Actions = actions, Default = fallback };
    }

    private TrustAnchors Enroll(Dictionary<string, YamlNode> fields, YamlNode root)
    {
        var none = new TrustAnchors("none", []);
        if (!fields.TryGetValue("enroll", out YamlNode? node))
        {
            Error(root, "enroll.trustAnchors", "missing required field 'enroll' with the trustAnchors that may simpleenroll under this profile");
            return none;
        }

        if (Mapping(node, "enroll") is not { } map)
        {
            return none;
        }

        Dictionary<string, YamlNode> enroll = Fields(map, "enroll", "trustAnchors");
        List<(string, YamlNode)> entries = StringList(enroll, "trustAnchors");
        if (entries.Count == 0)
        {
            Error(enroll.GetValueOrDefault("trustAnchors") ?? map, "enroll.trustAnchors", "at least one trust anchor (a PEM file of a device-identity CA) is required");
            return none;
        }

        var certificates = new List<System.Security.Cryptography.X509Certificates.X509Certificate2>();
        var files = new List<string>();
        string directory = Path.GetDirectoryName(Path.GetFullPath(_file)) ?? ".";
        foreach ((string entry, YamlNode entryNode) in entries)
        {
            (TrustAnchors? anchors, string? problem) = _context.ResolveTrustAnchors(entry, directory);
            if (anchors is null)
            {
                Error(entryNode, "enroll.trustAnchors", problem ?? $"cannot read trust anchor '{entry}'");
                continue;
            }

            certificates.AddRange(anchors.Roots);
            certificates.AddRange(anchors.Intermediates);
            files.AddRange(anchors.Files);
        }

        // Entries may hold intermediates (e.g. a factory line's CA next to the maker's root): what
        // matters is that together they include a self-signed root to end each path at.
        var combined = new TrustAnchors(string.Join(", ", entries.Select(e => e.Item1)), certificates) { Files = files };
        if (certificates.Count > 0 && combined.Roots.Count == 0)
        {
            Error(enroll["trustAnchors"], "enroll.trustAnchors", "the trust anchors hold no self-signed root certificate to end device identity paths at");
        }

        return combined;
    }

    private ReenrollPolicy Reenroll(Dictionary<string, YamlNode> fields)
    {
        if (!fields.TryGetValue("reenroll", out YamlNode? node) || Mapping(node, "reenroll") is not { } map)
        {
            return ReenrollPolicy.Default;
        }

        Dictionary<string, YamlNode> reenroll = Fields(map, "reenroll", "renewalWindow", "gracePeriod", "allowSubjectChange");
        TimeSpan? window = Duration(reenroll, "renewalWindow");
        if (window is { } w && w <= TimeSpan.Zero)
        {
            Error(reenroll["renewalWindow"], "reenroll.renewalWindow", "renewalWindow must be longer than zero (omit it to allow re-enrollment at any time)");
        }

        return new ReenrollPolicy
        {
            RenewalWindow = window,
            GracePeriod = Duration(reenroll, "gracePeriod") ?? TimeSpan.Zero,
            AllowSubjectChange = Bool(reenroll, "allowSubjectChange") ?? false,
        };
    }

    // ---- typed access with located errors ---------------------------------------------------

    private Dictionary<string, YamlNode> Fields(YamlMappingNode map, string what, params string[] allowed)
    {
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach ((YamlNode key, YamlNode value) in map.Children)
        {
            string name = key is YamlScalarNode scalar ? scalar.Value ?? "" : "";
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                Error(key, "unknown-field", $"unknown field '{name}' in {what} (allowed: {string.Join(", ", allowed)})");
                continue;
            }

            fields[name] = value;
        }

        return fields;
    }

    private YamlMappingNode? Mapping(YamlNode node, string rule)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        Error(node, rule, "expected a mapping (key: value lines)");
        return null;
    }

    private IEnumerable<YamlNode> Sequence(YamlNode node, string rule)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence.Children;
        }

        Error(node, rule, "expected a list");
        return [];
    }

    private string? String(Dictionary<string, YamlNode> fields, string name) =>
        fields.TryGetValue(name, out YamlNode? node) ? Scalar(node, name) : null;

    private string? RequiredString(Dictionary<string, YamlNode> fields, string name, YamlNode parent)
    {
        if (!fields.ContainsKey(name))
        {
            Error(parent, name, $"missing required field '{name}'");
            return null;
        }

        return String(fields, name);
    }

    private string? Scalar(YamlNode node, string rule = "yaml")
    {
        if (node is YamlScalarNode { Value: { } value } && !(value.Length == 0 && node is YamlScalarNode { Style: ScalarStyle.Plain }))
        {
            return value;
        }

        Error(node, rule, "expected a single value");
        return null;
    }

    private List<(string, YamlNode)> StringList(Dictionary<string, YamlNode> fields, string name)
    {
        var items = new List<(string, YamlNode)>();
        if (fields.TryGetValue(name, out YamlNode? node))
        {
            foreach (YamlNode item in Sequence(node, name))
            {
                if (Scalar(item, name) is { } value)
                {
                    items.Add((value, item));
                }
            }
        }

        return items;
    }

    private bool? Bool(Dictionary<string, YamlNode> fields, string name)
    {
        if (String(fields, name) is not { } text)
        {
            return null;
        }

        if (text is "true" or "false")
        {
            return text == "true";
        }

        Error(fields[name], name, $"'{text}' is not true or false");
        return null;
    }

    private int? Int(Dictionary<string, YamlNode> fields, string name)
    {
        if (String(fields, name) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        Error(fields[name], name, $"'{text}' is not a whole number");
        return null;
    }

    private TimeSpan? Duration(Dictionary<string, YamlNode> fields, string name)
    {
        if (String(fields, name) is not { } text)
        {
            return null;
        }

        if (DurationText.TryParse(text, out TimeSpan duration))
        {
            return duration;
        }

        Error(fields[name], name, $"'{text}' is not a duration (a number and a unit: s, m, h, d, w; e.g. 365d)");
        return null;
    }

    private TimeSpan? RequiredDuration(Dictionary<string, YamlNode> fields, string name, YamlNode parent)
    {
        if (!fields.ContainsKey(name))
        {
            Error(parent, name, $"missing required field '{name}' (e.g. {name}: 365d)");
            return null;
        }

        return Duration(fields, name);
    }

    private Regex? Pattern(Dictionary<string, YamlNode> fields, string rule)
    {
        if (String(fields, "pattern") is not { } pattern)
        {
            return null;
        }

        try
        {
            // Anchored so that a pattern always describes the whole value, never a part of it.
            return new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (ArgumentException exception)
        {
            Error(fields["pattern"], rule, $"bad regular expression: {OneLine(exception.Message)}");
            return null;
        }
    }

    private void Error(YamlNode? node, string rule, string message) =>
        _diagnostics.Add(new ProfileDiagnostic(_file, node is null ? 1 : Line(node), node is null ? 1 : Column(node), rule, message));

    private static int Line(YamlNode node) => (int)node.Start.Line;

    private static int Column(YamlNode node) => (int)node.Start.Column;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
