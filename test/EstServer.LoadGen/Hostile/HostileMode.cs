using System.Security.Cryptography.X509Certificates;

namespace EstServer.LoadGen.Hostile;

/// <summary>--mode hostile of the load generator: the campaign from the command line, for scripts/soak.sh.</summary>
public static class HostileMode
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        string[] identities = Directory.GetFiles(options.Devices, "*.pem").Order(StringComparer.Ordinal).ToArray();
        if (identities.Length < 2)
        {
            await Console.Error.WriteLineAsync($"estserver-loadtest: hostile mode needs two identities in {options.Devices} (the hostile client and the legitimate device)").ConfigureAwait(false);
            return 2;
        }

        string? corpus = options.Corpus ?? SeedCorpus.FindDefaultDirectory();
        if (corpus is null)
        {
            await Console.Error.WriteLineAsync("estserver-loadtest: no seed corpus found; pass --corpus test/corpus/hostile").ConfigureAwait(false);
            return 2;
        }

        using X509Certificate2 anchor = X509CertificateLoader.LoadCertificateFromFile(options.TrustAnchor);
        using X509Certificate2 device = X509Certificate2.CreateFromPemFile(identities[0], Path.ChangeExtension(identities[0], ".key"));
        using X509Certificate2 legit = X509Certificate2.CreateFromPemFile(identities[1], Path.ChangeExtension(identities[1], ".key"));
        using X509Certificate2? manufacturer = options.ManufacturerCa is not null && options.ManufacturerKey is not null
            ? X509Certificate2.CreateFromPemFile(options.ManufacturerCa, options.ManufacturerKey)
            : null;
        var settings = new HostileCampaignSettings
        {
            Url = options.Url,
            TrustAnchor = anchor,
            Device = device,
            LegitDevice = legit,
            ManufacturerCa = manufacturer,
            CorpusDirectory = corpus,
            Seed = options.Seed,
            Count = options.Count,
            Duration = options.Duration,
            Concurrency = options.Concurrency,
            SlowConcurrency = options.SlowConcurrency,
            CaseTimeout = options.CaseTimeout,
            MaxRequestBodyBytes = options.MaxBody,
            Progress = line => Console.Error.WriteLine(line),
        };
        Console.Error.WriteLine($"hostile campaign: seed {settings.Seed}, {(settings.Count is { } count ? $"{count} cases" : $"{settings.Duration.TotalSeconds:0} s")}, hostile client {Path.GetFileName(identities[0])}, legitimate device {Path.GetFileName(identities[1])}, corpus {corpus}");

        using var cancel = new CancellationTokenSource(settings.Count is null ? settings.Duration + TimeSpan.FromMinutes(10) : TimeSpan.FromHours(6));
        CampaignReport report = await HostileCampaign.RunAsync(settings, cancel.Token).ConfigureAwait(false);
        foreach (string line in report.Lines())
        {
            Console.WriteLine(line);
        }

        if (options.Report is not null)
        {
            await File.WriteAllLinesAsync(options.Report, report.Lines()).ConfigureAwait(false);
        }

        return report.Passed ? 0 : 1;
    }
}
