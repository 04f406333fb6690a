using EstServer.Core.Csr;
using EstServer.Core.Errors;

namespace EstServer.Core.Profiles;

/// <summary>
/// Which subject keys a profile certifies. Nothing is allowed until it is listed, as in a profile file's
/// keys: block: a key type a profile does not name is one it refuses.
/// </summary>
public sealed record KeyPolicy
{
    public bool AllowRsa { get; init; }

    /// <summary>NIST SP 800-131A: RSA below 2048 bits is disallowed for signatures.</summary>
    public int MinRsaBits { get; init; } = 2048;

    /// <summary>Very large moduli only cost the server verification time; no device needs more than this.</summary>
    public int MaxRsaBits { get; init; } = 8192;

    public IReadOnlySet<string> AllowedCurves { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public bool AllowEd25519 { get; init; }

    public EstError? Check(SubjectKey key) => key.Algorithm switch
    {
        KeyAlgorithm.Rsa when !AllowRsa => Refuse(key),
        KeyAlgorithm.Rsa when key.SizeBits < MinRsaBits => EstError.BadRequest($"CSR key RSA-{key.SizeBits} is too small; at least {MinRsaBits} bits are required"),
        KeyAlgorithm.Rsa when key.SizeBits > MaxRsaBits => EstError.BadRequest($"CSR key RSA-{key.SizeBits} is larger than the allowed {MaxRsaBits} bits"),
        KeyAlgorithm.Rsa => null,
        KeyAlgorithm.Ec when key.Curve is not null && AllowedCurves.Contains(key.Curve) => null,
        KeyAlgorithm.Ed25519 when AllowEd25519 => null,
        _ => Refuse(key),
    };

    public string Describe()
    {
        var allowed = new List<string>();
        allowed.AddRange(AllowedCurves.Order(StringComparer.Ordinal).Select(curve => $"EC {curve}"));
        if (AllowRsa)
        {
            allowed.Add($"RSA {MinRsaBits}-{MaxRsaBits}");
        }

        if (AllowEd25519)
        {
            allowed.Add("Ed25519");
        }

        return string.Join(", ", allowed);
    }

    private EstError Refuse(SubjectKey key) =>
        EstError.BadRequest($"CSR key {key} is not allowed; allowed: {Describe()}");
}
