using System.Buffers.Text;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// The checked-in seed corpus (test/corpus/hostile/*.b64): request bodies the mutation cases start
/// from. valid-* seeds are CSRs the shipped default profile accepts; bad-* seeds each break one rule
/// (400); forbidden-* seeds ask for what the client may not have (403).
/// </summary>
public sealed class SeedCorpus
{
    private readonly Dictionary<string, SeedEntry> _byDer;

    private SeedCorpus(IReadOnlyList<SeedEntry> seeds)
    {
        Seeds = seeds;
        Valid = seeds.Where(s => s.Valid).ToArray();
        WithDer = seeds.Where(s => s.Der is not null).ToArray();
        _byDer = new Dictionary<string, SeedEntry>(StringComparer.Ordinal);
        foreach (SeedEntry seed in WithDer)
        {
            _byDer.TryAdd(Convert.ToHexString(seed.Der!), seed);
        }
    }

    public IReadOnlyList<SeedEntry> Seeds { get; }

    public IReadOnlyList<SeedEntry> Valid { get; }

    /// <summary>The seeds whose body decodes to DER (the DER-level mutations start from these).</summary>
    public IReadOnlyList<SeedEntry> WithDer { get; }

    /// <summary>The seed whose DER this is, exactly, if any.</summary>
    public SeedEntry? FindByDer(ReadOnlySpan<byte> der) => _byDer.GetValueOrDefault(Convert.ToHexString(der));

    public static SeedCorpus Load(string directory)
    {
        string[] files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.b64").Order(StringComparer.Ordinal).ToArray() : [];
        if (files.Length == 0)
        {
            throw new ArgumentException($"no seed corpus (*.b64) in {directory}; it lives in test/corpus/hostile");
        }

        var seeds = new List<SeedEntry>();
        foreach (string file in files)
        {
            byte[] body = File.ReadAllBytes(file);
            byte[]? der = BodyOracle.TryDecode(body, out byte[] decoded) ? decoded : null;
            var seed = new SeedEntry(Path.GetFileNameWithoutExtension(file), body, der);
            if (!seed.Name.StartsWith("bad-", StringComparison.Ordinal) && !seed.Valid && !seed.Forbidden)
            {
                throw new InvalidDataException($"{file}: a seed's name starts with valid-, forbidden- or bad-");
            }

            if ((seed.Valid || seed.Forbidden) && der is null)
            {
                throw new InvalidDataException($"{file}: a valid-* or forbidden-* seed must be base64 of DER");
            }

            seeds.Add(seed);
        }

        if (!seeds.Any(s => s.Valid))
        {
            throw new InvalidDataException($"{directory}: the corpus needs at least one valid-* seed");
        }

        return new SeedCorpus(seeds);
    }

    /// <summary>Finds test/corpus/hostile above the running program (the repository layout), or null.</summary>
    public static string? FindDefaultDirectory()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "test", "corpus", "hostile");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    internal static bool StrictDecode(ReadOnlySpan<byte> text, out byte[] der)
    {
        byte[] output = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        if (Base64.DecodeFromUtf8(text, output, out _, out int written) != System.Buffers.OperationStatus.Done)
        {
            der = [];
            return false;
        }

        der = output.AsSpan(0, written).ToArray();
        return true;
    }
}
