using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>keys: which subject public keys the profile certifies.</summary>
internal sealed class KeysSectionReader : IProfileSectionReader
{
    public IReadOnlyList<string> Fields { get; } = ["keys"];

    public CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context)
    {
        if (!file.Require("keys", "keys", "missing required field 'keys' (allowed key algorithms: ec, rsa, ed25519)")
            || file.Map("keys", "keys", "ec", "rsa", "ed25519") is not { } keys)
        {
            return profile;
        }

        var policy = new KeyPolicy();
        if (keys.Has("ec"))
        {
            var curves = new HashSet<string>(StringComparer.Ordinal);
            foreach ((string curve, LocatedNode node) in keys.Strings("ec"))
            {
                if (ProfileVocabulary.Curves.Contains(curve))
                {
                    curves.Add(curve);
                }
                else
                {
                    context.Report(node, "keys.ec", $"unknown curve '{curve}' (known: {string.Join(", ", ProfileVocabulary.Curves)})");
                }
            }

            policy = policy with { AllowedCurves = curves };
        }

        if (keys.Map("rsa", "keys.rsa", "minBits", "maxBits") is { } rsa)
        {
            policy = Rsa(policy with { AllowRsa = true }, rsa, context);
        }

        if (keys.Bool("ed25519") is { } ed25519)
        {
            policy = policy with { AllowEd25519 = ed25519 };
        }

        if (policy.AllowedCurves.Count == 0 && !policy.AllowRsa && !policy.AllowEd25519)
        {
            context.Report(file["keys"], "keys", "no key algorithm is allowed; list ec curves, rsa sizes or ed25519: true");
        }

        return profile with { Keys = policy };
    }

    private static KeyPolicy Rsa(KeyPolicy policy, YamlMap rsa, SectionContext context)
    {
        if (rsa.Int("minBits") is { } minBits)
        {
            policy = policy with { MinRsaBits = minBits };
        }

        if (rsa.Int("maxBits") is { } maxBits)
        {
            policy = policy with { MaxRsaBits = maxBits };
        }

        if (policy.MinRsaBits < 2048)
        {
            context.Report(rsa["minBits"], "keys.rsa", "minBits below 2048 is not allowed (NIST SP 800-131A)");
        }

        // Verifying a CSR's signature costs the server time that grows with the modulus.
        if (policy.MaxRsaBits < policy.MinRsaBits || policy.MaxRsaBits > 16384)
        {
            context.Report(rsa.Find("maxBits") ?? rsa.Node, "keys.rsa", "maxBits must be at least minBits and at most 16384");
        }

        return policy;
    }
}
