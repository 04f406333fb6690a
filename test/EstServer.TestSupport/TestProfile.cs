using System.Text;

namespace EstServer.TestSupport;

/// <summary>
/// A certificate-policy profile written as YAML by a test. The defaults are permissive (common subject
/// attributes and any SAN type taken from the CSR, EC/RSA/Ed25519 keys) so tests that are not about
/// policy can enroll whatever they need; tests about policy override the fields they exercise.
/// </summary>
public sealed record TestProfile
{
    public required string Name { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    public bool Default { get; init; }

    /// <summary>Trust-anchor entries: absolute PEM paths, or dev:manufacturer.</summary>
    public IReadOnlyList<string> TrustAnchors { get; init; } = ["dev:manufacturer"];

    /// <summary>The policy a TestProfile names unless told otherwise.</summary>
    public const string DefaultPolicyOid = "2.999.42.1";

    public string PolicyOid { get; init; } = DefaultPolicyOid;

    public string? Cps { get; init; }

    public string? Notice { get; init; }

    public string Validity { get; init; } = "365d";

    public string KeyUsage { get; init; } = "[digitalSignature, keyEncipherment]";

    public string ExtendedKeyUsage { get; init; } = "[clientAuth]";

    /// <summary>The keys: block, indented by two spaces per line.</summary>
    public string Keys { get; init; } = "  ec: [P-256, P-384]\n  rsa: { minBits: 2048, maxBits: 4096 }\n  ed25519: true\n";

    /// <summary>The subject: list, as YAML lines.</summary>
    public string Subject { get; init; } =
        "  - type: C\n  - type: ST\n  - type: L\n  - type: O\n  - type: OU\n  - type: CN\n  - type: serialNumber\n";

    /// <summary>The subjectAltName: list, as YAML lines; empty for none allowed.</summary>
    public string SubjectAltName { get; init; } =
        "  - type: dns\n    max: 10\n  - type: ip\n    max: 10\n  - type: email\n    max: 10\n  - type: uri\n    max: 10\n";

    /// <summary>The reenroll: block, as YAML lines; empty for the defaults.</summary>
    public string Reenroll { get; init; } = "";

    /// <summary>Anything else, appended verbatim (e.g. a csrExtensions: block).</summary>
    public string Extra { get; init; } = "";

    public string ToYaml()
    {
        var yaml = new StringBuilder();
        yaml.Append("name: ").Append(Name).Append('\n');
        yaml.Append("labels: [").Append(string.Join(", ", Labels)).Append("]\n");
        yaml.Append("default: ").Append(Default ? "true" : "false").Append('\n');
        yaml.Append("policies:\n  - oid: ").Append(PolicyOid).Append('\n');
        if (Cps is not null)
        {
            yaml.Append("    cps: ").Append(Cps).Append('\n');
        }

        if (Notice is not null)
        {
            yaml.Append("    notice: '").Append(Notice.Replace("'", "''", StringComparison.Ordinal)).Append("'\n");
        }

        yaml.Append("validity: ").Append(Validity).Append('\n');
        yaml.Append("keyUsage: ").Append(KeyUsage).Append('\n');
        yaml.Append("extendedKeyUsage: ").Append(ExtendedKeyUsage).Append('\n');
        yaml.Append("keys:\n").Append(Keys);
        yaml.Append("subject:\n").Append(Subject);
        if (SubjectAltName.Length > 0)
        {
            yaml.Append("subjectAltName:\n").Append(SubjectAltName);
        }

        yaml.Append("enroll:\n  trustAnchors:\n");
        foreach (string anchor in TrustAnchors)
        {
            yaml.Append("    - '").Append(anchor.Replace("'", "''", StringComparison.Ordinal)).Append("'\n");
        }

        if (Reenroll.Length > 0)
        {
            yaml.Append("reenroll:\n").Append(Reenroll);
        }

        yaml.Append(Extra);
        return yaml.ToString();
    }

    /// <summary>Writes the profiles as NAME.yaml files into a fresh directory and returns its path.</summary>
    public static string WriteDirectory(string directory, params TestProfile[] profiles)
    {
        Directory.CreateDirectory(directory);
        foreach (TestProfile profile in profiles)
        {
            File.WriteAllText(Path.Combine(directory, profile.Name + ".yaml"), profile.ToYaml());
        }

        return directory;
    }
}
