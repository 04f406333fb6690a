using Org.BouncyCastle.Security;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// Keys made once per generator from its seed, for the cases that are refused anyway (a key that is
/// refused is never claimed by the server's duplicate-key registry, so sharing them is harmless).
/// Valid requests get a fresh key of their own (<see cref="CaseContext.FreshKey"/>), except the one
/// RSA key, which is only ever used with one subject (<see cref="RsaSubject"/>).
/// </summary>
public sealed class KeyPool
{
    private readonly Dictionary<KeyKind, HostileKey[]> _keys;

    public KeyPool(long seed)
    {
        SecureRandom random = HostileKey.SeededRandom(seed, -1);
        _keys = new Dictionary<KeyKind, HostileKey[]>
        {
            [KeyKind.EcP256] = Enumerable.Range(0, 4).Select(_ => HostileKey.Generate(KeyKind.EcP256, random)).ToArray(),
            [KeyKind.EcP384] = [HostileKey.Generate(KeyKind.EcP384, random)],
            [KeyKind.EcP521] = [HostileKey.Generate(KeyKind.EcP521, random)],
            [KeyKind.EcSecp256k1] = [HostileKey.Generate(KeyKind.EcSecp256k1, random)],
            [KeyKind.EcBrainpoolP256] = [HostileKey.Generate(KeyKind.EcBrainpoolP256, random)],
            [KeyKind.Ed25519] = [HostileKey.Generate(KeyKind.Ed25519, random)],
            [KeyKind.Ed448] = [HostileKey.Generate(KeyKind.Ed448, random)],
            [KeyKind.Rsa1024] = [HostileKey.Generate(KeyKind.Rsa1024, random)],
            [KeyKind.Rsa2048] = [HostileKey.Generate(KeyKind.Rsa2048, random)],
        };
        RsaSubject = "hostile-rsa-" + seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The only CN a valid request with the pooled RSA-2048 key may carry.</summary>
    public string RsaSubject { get; }

    public HostileKey Get(KeyKind kind, Random random)
    {
        HostileKey[] keys = _keys[kind];
        return keys[random.Next(keys.Length)];
    }
}
