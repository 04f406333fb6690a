using System.Globalization;
using System.Text;
using EstServer.TestSupport;
using Org.BouncyCastle.Security;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// Everything one case is made from: its own seeded random sources (so case N is the same whatever
/// else was generated), the key pool, the seed corpus, and helpers that write requests and work out
/// the expected outcome.
/// </summary>
public sealed class CaseContext
{
    public const string Root = "/.well-known/est";
    public const string EnrollPath = Root + "/simpleenroll";
    public const string ReenrollPath = Root + "/simplereenroll";
    public const string CaCertsPath = Root + "/cacerts";
    public const string CsrAttrsPath = Root + "/csrattrs";

    private readonly long _seed;
    private SecureRandom? _crypto;

    internal CaseContext(long seed, long index, string category, KeyPool keys, SeedCorpus corpus, GeneratorSettings settings)
    {
        _seed = seed;
        Index = index;
        Category = category;
        Keys = keys;
        Corpus = corpus;
        Settings = settings;
        Random = new Random(unchecked((int)((seed * 1_000_003) ^ (index * 7_919) ^ (index >> 32))));
    }

    public long Index { get; }

    public string Category { get; }

    public Random Random { get; }

    /// <summary>For keys and signatures: a deterministic DRBG seeded with (seed, index).</summary>
    public SecureRandom Crypto => _crypto ??= HostileKey.SeededRandom(_seed, Index);

    public KeyPool Keys { get; }

    public SeedCorpus Corpus { get; }

    public GeneratorSettings Settings { get; }

    public string Authority => Settings.Authority;

    /// <summary>A CN unique to this case and seed that the shipped profiles' CN patterns accept.</summary>
    public string UniqueName => string.Create(CultureInfo.InvariantCulture, $"hv{(_seed < 0 ? "m" : "")}{Math.Abs(_seed)}-{Index}");

    public HostileKey FreshKey(KeyKind kind = KeyKind.EcP256) => HostileKey.Generate(kind, Crypto);

    public HostileKey PoolKey(KeyKind kind) => Keys.Get(kind, Random);

    public T Pick<T>(params T[] items) => items[Random.Next(items.Length)];

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    public int Between(int min, int maxInclusive) => Random.Next(min, maxInclusive + 1);

    public bool Chance(double probability) => Random.NextDouble() < probability;

    public byte[] RandomBytes(int count)
    {
        byte[] bytes = new byte[count];
        Random.NextBytes(bytes);
        return bytes;
    }

    public SeedEntry AnySeed() => Pick(Corpus.Seeds);

    public SeedEntry ValidSeed() => Pick(Corpus.Valid);

    /// <summary>Base64 text wrapped at <paramref name="width"/> columns (0: one line), each line ending in <paramref name="newline"/>.</summary>
    public static byte[] Base64(ReadOnlySpan<byte> der, int width = 64, string newline = "\n")
    {
        string flat = Convert.ToBase64String(der);
        if (width <= 0)
        {
            return Encoding.ASCII.GetBytes(flat + newline);
        }

        var text = new StringBuilder(flat.Length + (flat.Length / width * newline.Length) + 4);
        for (int i = 0; i < flat.Length; i += width)
        {
            text.Append(flat, i, Math.Min(width, flat.Length - i)).Append(newline);
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>A fresh, valid request the default route accepts: its own key, a unique CN.</summary>
    public byte[] ValidCsr(KeyKind kind = KeyKind.EcP256, IEnumerable<byte[]>? extensions = null) =>
        CsrKit.Simple(Der.NameWithCn(UniqueName), FreshKey(kind), Crypto, extensions);

    /// <summary>What the server must answer to this body from an authenticated client (see <see cref="BodyOracle"/>).</summary>
    public CaseExpectation Oracle(ReadOnlySpan<byte> body, CaseExpectation? whenValid = null) =>
        BodyOracle.Expect(body, Settings.MaxRequestBodyBytes, Corpus, whenValid ?? CaseExpectation.Enrolled);

    public HostileCase Make(string description, CaseIdentity identity, byte[] request, CaseExpectation expected, bool keepAlive = true) => new()
    {
        Index = Index,
        Category = Category,
        Description = description,
        Identity = identity,
        Request = request,
        Expected = expected,
        KeepAlive = keepAlive,
    };

    /// <summary>POSTs a body as given; the expectation is the oracle's unless stated.</summary>
    public HostileCase PostBody(string description, byte[] body, CaseExpectation? expected = null, CaseIdentity identity = CaseIdentity.Device, string path = EnrollPath, CaseExpectation? whenValid = null) =>
        Make(description, identity, RawRequest.Post(Authority, path, body), expected ?? Oracle(body, whenValid));

    /// <summary>POSTs base64 of a DER value; the expectation is the oracle's (400 for anything but a valid seed, 413 when too big).</summary>
    public HostileCase PostDer(string description, byte[] der, CaseIdentity identity = CaseIdentity.Device, string path = EnrollPath, CaseExpectation? whenValid = null) =>
        PostBody(description, Base64(der), null, identity, path, whenValid);

    /// <summary>POSTs a request made by the generator with the answer it deserves, or 413 when its base64 is over the limit.</summary>
    public HostileCase PostSigned(string description, byte[] der, CaseExpectation expected, CaseIdentity identity = CaseIdentity.Device, string path = EnrollPath)
    {
        byte[] body = Base64(der);
        return Make(description, identity, RawRequest.Post(Authority, path, body), body.Length > Settings.MaxRequestBodyBytes ? CaseExpectation.OrClosed(413) : expected);
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    public static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
