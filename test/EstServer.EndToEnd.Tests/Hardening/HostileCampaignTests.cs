using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.LoadGen.Hostile;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Hardening;

/// <summary>
/// The bad-input campaign, bounded for CI: 10,000 seeded hostile requests (test/EstServer.LoadGen/Hostile)
/// against the real server (Kestrel, mutual TLS, the shipped profiles), 16 at a time, while a legitimate
/// device enrolls in a loop. Rate limits are off here so the campaign is not all 429s (RateLimitTests
/// covers them); Kestrel's header and keep-alive timeouts are shortened so the slow-client cases end
/// sooner. The counts are printed as the campaign ends (and all of them, per category too, written to
/// $EST_CAMPAIGN_REPORT when set);
/// scripts/soak.sh runs the same campaign for as long as you like.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HostileCampaignTests
{
    public const long Seed = 7030;
    public const int Cases = 10_000;

    private EstTestServer _server = null!;
    private X509Certificate2 _legitDevice = null!;
    private X509Certificate2 _manufacturer = null!;
    private CampaignReport _report = null!;

    [OneTimeSetUp]
    public async Task RunCampaign()
    {
        _server = await EstTestServer.StartAsync(new()
        {
            WriteProfiles = ShippedProfiles.CopyTo,
            Settings =
            [
                "--Est:RateLimits:PerClientCertificatePerMinute=0",
                "--Est:RateLimits:PerAddressPerMinute=0",
                "--Est:RateLimits:ReenrollPerCertificatePerHour=0",
                "--Est:Limits:RequestHeadersTimeout=00:00:05",
                "--Est:Limits:KeepAliveTimeout=00:00:10",
                // Ten thousand refusals are each logged as a warning; the report says what happened.
                "--Logging:LogLevel:Default=Critical",
            ],
        });
        _manufacturer = _server.LoadManufacturerCa();
        // The dev PKI (and so the manufacturer CA) was made a moment ago: the device cannot start before it.
        _legitDevice = TestCertificates.CreateClient(_manufacturer, "CN=legit-device, OID.2.5.4.5=LEGIT-0001", notBefore: _manufacturer.NotBefore);
        var settings = new HostileCampaignSettings
        {
            Url = _server.BaseAddress,
            TrustAnchor = _server.TrustAnchor,
            Device = _server.DemoDevice,
            LegitDevice = _legitDevice,
            ManufacturerCa = _manufacturer,
            CorpusDirectory = Path.Combine(RepositoryPaths.Root, "test", "corpus", "hostile"),
            Seed = Seed,
            Count = Cases,
            Concurrency = 16,
            SlowConcurrency = 32,
            CaseTimeout = TimeSpan.FromSeconds(15),
            IdleCaseTimeout = TimeSpan.FromSeconds(25),
            Progress = line => TestContext.Progress.WriteLine("  " + line),
        };

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        _report = await HostileCampaign.RunAsync(settings, cancel.Token);

        // The console logger at minimal verbosity (scripts/test.sh) shows TestContext.Error but not
        // Progress: the headline counts go there, the per-category ones to Progress (-v normal) and the file.
        foreach (string line in _report.Lines().Where(l => !l.StartsWith("UNEXPECTED ", StringComparison.Ordinal)))
        {
            if (line.StartsWith("CATEGORY", StringComparison.Ordinal))
            {
                TestContext.Progress.WriteLine(line);
            }
            else
            {
                TestContext.Error.WriteLine(line);
            }
        }

        if (Environment.GetEnvironmentVariable("EST_CAMPAIGN_REPORT") is { Length: > 0 } reportFile)
        {
            await File.WriteAllLinesAsync(reportFile, _report.Lines());
        }
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _legitDevice?.Dispose();
        _manufacturer?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public void Campaign_TenThousandSeededCases_AllRun()
    {
        Assert.That(_report.Cases, Is.EqualTo(Cases), _report.SummaryLine());
    }

    [Test]
    public void Campaign_TenThousandSeededCases_NoServerError()
    {
        Assert.That(_report.Server5xx, Is.Zero, Details(o => o.Outcome.Kind == OutcomeKind.Status && o.Outcome.Status >= 500));
    }

    [Test]
    public void Campaign_TenThousandSeededCases_NoHang()
    {
        Assert.That(_report.Hangs, Is.Zero, Details(o => o.Outcome.Kind == OutcomeKind.Hang));
    }

    [Test]
    public void Campaign_TenThousandSeededCases_EveryOutcomeInItsExpectedClass()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_report.Unexpected, Is.Zero, Details(_ => true));
            Assert.That(_report.ClientFailures, Is.Zero, "cases the client could not even send (connect or handshake failed)");
            Assert.That(_report.OtherStatus, Is.Zero, "1xx or 3xx final answers");
        }
    }

    [Test]
    public void Campaign_TenThousandSeededCases_EveryCategoryExercised()
    {
        Assert.That(_report.ByCategory.Keys, Is.EquivalentTo(HostileCaseGenerator.Categories.Select(c => c.Name)));
    }

    [Test]
    public void Campaign_LegitimateDeviceEnrollingMeanwhile_NeverFails()
    {
        string failures = string.Join("; ", _report.LegitFailures.Select(f => $"{f.Value}x {f.Key}"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_report.LegitFailed, Is.Zero, failures);
            Assert.That(_report.LegitOk, Is.GreaterThanOrEqualTo(1), "the legitimate device enrolled at least once");
        }
    }

    [Test]
    public async Task Healthz_AfterCampaign_Returns200()
    {
        using HttpClient client = _server.CreateClient();
        using HttpResponseMessage response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private string Details(Func<UnexpectedOutcome, bool> which)
    {
        string[] lines = _report.UnexpectedSamples.Where(which).Take(25).Select(o => o.ToString()).ToArray();
        return $"{_report.SummaryLine()}\n{string.Join("\n", lines)}";
    }
}
