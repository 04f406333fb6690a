using EstServer.Core.Profiles.Loading.Yaml;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Profiles.Loading.Validation;

/// <summary>
/// keyEncipherment is set only for RSA keys and keyAgreement only for EC keys (RFC 5280 §4.2.1.3), so
/// usages made only of those would leave a certificate for another allowed key type with none at all.
/// </summary>
internal sealed class KeyUsageForKeysValidator : IProfileValidator
{
    public IReadOnlyList<ProfileDiagnostic> Validate(CertificateProfile profile, YamlMap file)
    {
        int usage = profile.KeyUsage;
        int anyKey = usage & ~(KeyUsage.KeyEncipherment | KeyUsage.KeyAgreement);
        if (usage == 0 || anyKey != 0 || file.Find("keyUsage") is not { } node)
        {
            return [];
        }

        bool rsaOnlyUsage = (usage & KeyUsage.KeyAgreement) == 0;
        bool ecOnlyUsage = (usage & KeyUsage.KeyEncipherment) == 0;
        KeyPolicy keys = profile.Keys;
        if ((rsaOnlyUsage && (keys.AllowedCurves.Count > 0 || keys.AllowEd25519)) || (ecOnlyUsage && (keys.AllowRsa || keys.AllowEd25519)))
        {
            return [node.Problem("keyUsage", "these key usages leave some allowed key types with none (keyEncipherment applies to RSA keys only, keyAgreement to EC keys only); add digitalSignature or narrow keys")];
        }

        return [];
    }
}
