namespace EstServer.LoadGen.Hostile;

/// <summary>
/// The hostile request generator: deterministic for a seed. Case i is made from random sources seeded
/// with (seed, i) alone, so any case can be made again on its own, in any order, on any thread. The
/// first cases go through every category once (so even a short run covers them all); after that the
/// category is drawn by weight.
///
/// Expected outcomes: every case names the statuses it may get. The only 2xx ever expected are 200 and
/// 202 (issued, or accepted while the signer catches up), and only for requests that are in fact valid:
/// the valid.* categories, unaltered or whitespace-only variants of valid-* seeds, odd-but-legal HTTP
/// (header case, chunked shapes, Expect: 100-continue, HTTP/1.0, media type parameters), extensions
/// the shipped profiles ignore, attributes other than extensionRequest, other string types for a CN
/// that passes the pattern, a valid gateway request, a same-name rekey on simplereenroll, and GET/HEAD
/// of cacerts and csrattrs (open to anyone, RFC 7030 §4.1.1, §4.5). The answers assume the shipped
/// profiles (config/profiles) and the hostile device identity on the default route.
/// </summary>
public sealed class HostileCaseGenerator
{
    private readonly double[] _cumulative;

    public HostileCaseGenerator(long seed, SeedCorpus corpus, GeneratorSettings settings)
    {
        Seed = seed;
        Corpus = corpus;
        Settings = settings;
        Keys = new KeyPool(seed);
        _cumulative = new double[Categories.Count];
        double total = 0;
        for (int i = 0; i < Categories.Count; i++)
        {
            total += Categories[i].Weight;
            _cumulative[i] = total;
        }
    }

    public static IReadOnlyList<HostileCategory> Categories { get; } =
    [
        .. Base64Cases.Categories,
        .. DerCases.Categories,
        .. CsrCases.Categories,
        .. KeyCases.Categories,
        .. ExtensionCases.Categories,
        .. SubjectCases.Categories,
        .. SubjectAltNameCases.Categories,
        .. HttpHeaderCases.Categories,
        .. HttpFramingCases.Categories,
        .. HttpProtocolCases.Categories,
        .. RouteCases.Categories,
        .. TlsCases.Categories,
        .. ProfileCases.Categories,
        .. MutationCases.Categories,
        .. SlowCases.Categories,
    ];

    public long Seed { get; }

    public SeedCorpus Corpus { get; }

    public GeneratorSettings Settings { get; }

    public KeyPool Keys { get; }

    public HostileCase Create(long index)
    {
        HostileCategory category = CategoryFor(index);
        return category.Build(new CaseContext(Seed, index, category.Name, Keys, Corpus, Settings));
    }

    public IEnumerable<HostileCase> Generate(long count)
    {
        for (long index = 0; index < count; index++)
        {
            yield return Create(index);
        }
    }

    public HostileCategory CategoryFor(long index)
    {
        if (index < Categories.Count)
        {
            return Categories[(int)index];
        }

        var random = new Random(unchecked((int)((Seed * 31) ^ (index * 2_654_435_761L) ^ 0x5EED)));
        double draw = random.NextDouble() * _cumulative[^1];
        int found = Array.BinarySearch(_cumulative, draw);
        return Categories[found >= 0 ? Math.Min(found + 1, Categories.Count - 1) : ~found];
    }
}
