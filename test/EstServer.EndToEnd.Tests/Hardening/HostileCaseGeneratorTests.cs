using System.Text;
using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.LoadGen.Hostile;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Hardening;

/// <summary>The campaign's generator and seed corpus on their own (no server): deterministic, complete, and right about what is valid.</summary>
[TestFixture]
public sealed class HostileCaseGeneratorTests
{
    private static readonly GeneratorSettings Settings = new() { Authority = "127.0.0.1:8443" };

    private static readonly Lazy<SeedCorpus> Corpus = new(() => SeedCorpus.Load(CorpusDirectory));

    private static string CorpusDirectory => Path.Combine(RepositoryPaths.Root, "test", "corpus", "hostile");

    [Test]
    public void Create_SameSeedAndIndex_SameCaseByteForByte()
    {
        var first = new HostileCaseGenerator(42, Corpus.Value, Settings);
        var second = new HostileCaseGenerator(42, Corpus.Value, Settings);

        // Out of order on purpose: case i depends on (seed, i) only.
        foreach (long index in Enumerable.Range(0, 400).Select(i => (long)i).Reverse())
        {
            HostileCase a = first.Create(index);
            HostileCase b = second.Create(index);
            Assert.That((b.Category, b.Description, b.Expected.ToString(), b.Identity), Is.EqualTo((a.Category, a.Description, a.Expected.ToString(), a.Identity)), $"case {index}");
            Assert.That(b.Request, Is.EqualTo(a.Request), $"case {index} ({a.Category}) bytes");
        }
    }

    [Test]
    public void Create_OtherSeed_OtherCases()
    {
        var one = new HostileCaseGenerator(1, Corpus.Value, Settings);
        var two = new HostileCaseGenerator(2, Corpus.Value, Settings);

        int same = Enumerable.Range(200, 200).Count(i => one.Create(i).Request.AsSpan().SequenceEqual(two.Create(i).Request));

        Assert.That(same, Is.LessThan(20), "cases identical under two seeds");
    }

    [Test]
    public void Generate_FirstCases_OneOfEveryCategory()
    {
        var generator = new HostileCaseGenerator(7, Corpus.Value, Settings);

        string[] categories = generator.Generate(HostileCaseGenerator.Categories.Count).Select(c => c.Category).ToArray();

        Assert.That(categories, Is.EquivalentTo(HostileCaseGenerator.Categories.Select(c => c.Name)));
    }

    [Test]
    public void Generate_TenThousandCases_ExpectOnlyDocumentedAnswers()
    {
        var generator = new HostileCaseGenerator(HostileCampaignTests.Seed, Corpus.Value, Settings);
        var problems = new List<string>();
        int accepting = 0;
        foreach (HostileCase hostileCase in generator.Generate(HostileCampaignTests.Cases))
        {
            IReadOnlySet<int> statuses = hostileCase.Expected.Statuses;
            accepting += hostileCase.Expected.IsSuccessExpected ? 1 : 0;
            if (statuses.Any(s => s is >= 500 and not 505) || (statuses.Contains(505) && !hostileCase.Category.StartsWith("http.", StringComparison.Ordinal)))
            {
                problems.Add($"#{hostileCase.Index} {hostileCase.Category} expects a server error: {hostileCase.Expected}");
            }

            if (statuses.Any(s => s is >= 200 and < 300 && !CaseExpectation.Accepted.Contains(s)))
            {
                problems.Add($"#{hostileCase.Index} {hostileCase.Category} expects an undocumented 2xx: {hostileCase.Expected}");
            }

            if (!statuses.Any(s => s is >= 400 and < 500) && !hostileCase.Expected.IsSuccessExpected)
            {
                problems.Add($"#{hostileCase.Index} {hostileCase.Category} expects neither a refusal nor a documented success: {hostileCase.Expected}");
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems, Is.Empty);
            Assert.That(accepting, Is.InRange(HostileCampaignTests.Cases / 50, HostileCampaignTests.Cases / 4), "valid requests (documented 2xx) are a minority, but present");
        }
    }

    [Test]
    public void SeedCorpus_CheckedIn_HoldsAFewDozenSeedsOfEachKind()
    {
        SeedCorpus corpus = Corpus.Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(corpus.Seeds, Has.Count.GreaterThanOrEqualTo(30));
            Assert.That(corpus.Valid, Has.Count.GreaterThanOrEqualTo(8));
            Assert.That(corpus.Seeds.Count(s => s.Forbidden), Is.GreaterThanOrEqualTo(1));
            Assert.That(corpus.Seeds.Count(s => s.Der is null), Is.GreaterThanOrEqualTo(3), "text seeds that are not even base64 of DER");
        }
    }

    [Test]
    public void SeedCorpus_ValidAndForbiddenSeeds_PassTheServersDecoderAndProofOfPossession()
    {
        foreach (SeedEntry seed in Corpus.Value.Seeds.Where(s => s.Valid || s.Forbidden))
        {
            Result<CertificationRequest> decoded = CsrDecoder.Decode(seed.Der!);
            Assert.That(decoded.IsSuccess, Is.True, $"{seed.Name}: {(decoded.IsSuccess ? "" : decoded.Error.Reason)}");
            Assert.That(CsrSignatureVerifier.Verify(decoded.Value)?.Reason, Is.Null, seed.Name);
        }
    }

    [Test]
    public void SeedCorpus_Regenerated_IsWhatIsCheckedIn()
    {
        string directory = Path.Combine(Path.GetTempPath(), "estserver-corpus-" + Guid.NewGuid().ToString("N"));
        try
        {
            IReadOnlyList<string> written = SeedCorpusWriter.Write(directory);

            Assert.That(written, Is.EquivalentTo(Corpus.Value.Seeds.Select(s => s.Name)));
            foreach (string name in written)
            {
                Assert.That(File.ReadAllBytes(Path.Combine(directory, name + ".b64")), Is.EqualTo(File.ReadAllBytes(Path.Combine(CorpusDirectory, name + ".b64"))), name);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestCase("\r\n", 76)]
    [TestCase(" ", 10)]
    [TestCase("\t", 0)]
    public void Expect_ValidSeedRewrappedWithWhitespace_ExpectsIssued(string newline, int width)
    {
        SeedEntry seed = Corpus.Value.Valid[0];

        CaseExpectation expected = BodyOracle.Expect(CaseContext.Base64(seed.Der!, width, newline), 65536, Corpus.Value, CaseExpectation.Enrolled);

        Assert.That(expected, Is.EqualTo(CaseExpectation.Enrolled));
    }

    [Test]
    public void Expect_ValidSeedWithOneBitFlipped_Expects400()
    {
        SeedEntry seed = Corpus.Value.Valid[0];
        byte[] der = (byte[])seed.Der!.Clone();
        der[der.Length / 2] ^= 0x04;

        CaseExpectation expected = BodyOracle.Expect(CaseContext.Base64(der), 65536, Corpus.Value, CaseExpectation.Enrolled);

        Assert.That(expected.Statuses, Is.EquivalentTo(new[] { 400 }));
    }

    [Test]
    public void Expect_BodyOverTheLimit_Expects413()
    {
        byte[] body = Encoding.ASCII.GetBytes(new string('A', 70_000));

        CaseExpectation expected = BodyOracle.Expect(body, 65536, Corpus.Value, CaseExpectation.Enrolled);

        Assert.That(expected.Statuses, Is.EquivalentTo(new[] { 413 }));
    }
}
