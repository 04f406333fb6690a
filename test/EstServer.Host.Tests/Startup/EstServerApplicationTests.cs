using EstServer.Core.Profiles;
using EstServer.Host.Configuration;
using EstServer.Host.Startup;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Tests.Startup;

/// <summary>
/// Building the real application (Kestrel included, never started): configuration sources, the default
/// URL, Kestrel limits, and that invalid settings stop start-up with every problem named.
/// </summary>
[TestFixture]
public sealed class EstServerApplicationTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public void Build_InvalidSettings_ThrowsOptionsValidationExceptionListingEveryProblem()
    {
        string[] args = [$"--Est:DataDir={_dir.Path}", "--Est:MaxRequestBodyBytes=5", "--Est:ProfilesReloadInterval=00:00:00.010", "--Est:Ca:CertificatePath=ca.pem"];

        OptionsValidationException? exception = Assert.Throws<OptionsValidationException>(() => EstServerApplication.Build(args));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Failures, Has.Some.EqualTo("Est:MaxRequestBodyBytes must be between 1024 and 16777216"));
            Assert.That(exception.Failures, Has.Some.EqualTo("Est:ProfilesReloadInterval must be between 00:00:00.1 and 01:00:00"));
            Assert.That(exception.Failures, Has.Some.EqualTo("Est:Ca:KeyPath is required when Est:Ca:CertificatePath is set and no Redis queue is configured (the host signs)"));
            Assert.That(Directory.GetFileSystemEntries(_dir.Path), Is.Empty, "nothing is created when the settings are wrong");
        }
    }

    [Test]
    public void Build_InvalidProfileSet_ThrowsConfigurationErrorWithEveryDiagnostic()
    {
        string profiles = TestProfile.WriteDirectory(
            _dir.Combine("profiles"),
            new TestProfile { Name = "one", PolicyOid = "1" },
            new TestProfile { Name = "two", Keys = "  ec: [P-999]\n" });

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(
            () => EstServerApplication.Build([$"--Est:DataDir={_dir.Path}", $"--Est:ProfilesPath={profiles}", "--urls=https://127.0.0.1:0"]));

        string one = Path.Combine(profiles, "one.yaml");
        string two = Path.Combine(profiles, "two.yaml");

        Assert.That(exception!.Message.Split(Environment.NewLine), Is.EqualTo(new[]
        {
            $"invalid profile set (3 problems): {one}:5:10: error [policies.oid]: '1' is not a dotted object identifier (e.g. 1.3.6.1.4.1.99999.1.1)",
            $"{two}:10:8: error [keys.ec]: unknown curve 'P-999' (known: P-256, P-384, P-521)",
            $"{two}:10:3: error [keys]: no key algorithm is allowed; list ec curves, rsa sizes or ed25519: true",
        }));
    }

    [Test]
    public void Build_ConfiguredProfilesPathMissing_ThrowsConfigurationErrorNamingIt()
    {
        string missing = _dir.Combine("no-profiles");

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(
            () => EstServerApplication.Build([$"--Est:DataDir={_dir.Path}", $"--Est:ProfilesPath={missing}", "--urls=https://127.0.0.1:0"]));

        Assert.That(exception!.Message, Does.Contain($"{missing}: error [directory]: profile directory does not exist"));
    }

    [Test]
    public async Task Build_NoListenAddressConfigured_ListensOnTheDefaultHttpsUrl()
    {
        await using WebApplication app = EstServerApplication.Build([$"--Est:DataDir={_dir.Path}"]);

        Assert.That(app.Configuration["urls"], Is.EqualTo("https://localhost:8443;http://localhost:8080"), "HTTPS for EST, plain HTTP for CRL and OCSP");
    }

    [Test]
    public async Task Build_RevocationHttpListenerOff_ListensOnHttpsOnly()
    {
        await using WebApplication app = EstServerApplication.Build([$"--Est:DataDir={_dir.Path}", "--Est:Revocation:HttpUrl=off"]);

        Assert.That(app.Configuration["urls"], Is.EqualTo("https://localhost:8443"));
    }

    [Test]
    public async Task Build_ListenAddressConfigured_KeepsIt()
    {
        await using WebApplication app = EstServerApplication.Build([$"--Est:DataDir={_dir.Path}", "--urls=https://127.0.0.1:9443"]);

        Assert.That(app.Configuration["urls"], Is.EqualTo("https://127.0.0.1:9443;http://localhost:8080"));
    }

    [Test]
    public async Task Build_MaxRequestBodyBytes_SetsKestrelsBackstopLimitAndNoServerHeaderIsSent()
    {
        await using WebApplication app = EstServerApplication.Build([$"--Est:DataDir={_dir.Path}", "--Est:MaxRequestBodyBytes=4096", "--urls=https://127.0.0.1:0"]);

        KestrelServerOptions kestrel = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(kestrel.Limits.MaxRequestBodySize, Is.EqualTo((4096 * 8) + 1024), "room for chunk framing; the exact limit is the EST reader's");
            Assert.That(kestrel.AddServerHeader, Is.False);
        }
    }

    [Test]
    public async Task Build_EstLimits_AreKestrelsLimits()
    {
        await using WebApplication app = EstServerApplication.Build(
        [
            $"--Est:DataDir={_dir.Path}", "--urls=https://127.0.0.1:0",
            "--Est:Limits:MaxConnections=123", "--Est:Limits:MaxRequestHeadersBytes=2048", "--Est:Limits:MaxRequestHeaderCount=9",
            "--Est:Limits:MaxRequestLineBytes=512", "--Est:Limits:RequestHeadersTimeout=00:00:04", "--Est:Limits:KeepAliveTimeout=00:00:06",
            "--Est:Limits:MaxStreamsPerConnection=7",
        ]);

        KestrelServerLimits limits = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(limits.MaxConcurrentConnections, Is.EqualTo(123));
            Assert.That(limits.MaxConcurrentUpgradedConnections, Is.Zero, "EST has no use for WebSockets or other upgrades");
            Assert.That(limits.MaxRequestHeadersTotalSize, Is.EqualTo(2048));
            Assert.That(limits.MaxRequestHeaderCount, Is.EqualTo(9));
            Assert.That(limits.MaxRequestLineSize, Is.EqualTo(512));
            Assert.That(limits.RequestHeadersTimeout, Is.EqualTo(TimeSpan.FromSeconds(4)));
            Assert.That(limits.KeepAliveTimeout, Is.EqualTo(TimeSpan.FromSeconds(6)));
            Assert.That(limits.Http2.MaxStreamsPerConnection, Is.EqualTo(7));
        }
    }

    [Test]
    public void ConfigureLogging_JsonFormat_WritesJsonConsoleLinesWithScopesAndUtcTimestamps()
    {
        var services = new ServiceCollection();
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Est:LogFormat", "json")]).Build();
        services.AddLogging(logging =>
        {
            logging.AddDebug();
            EstServerApplication.ConfigureLogging(logging, configuration);
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        JsonConsoleFormatterOptions json = provider.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetServices<ILoggerProvider>().Select(p => p.GetType()), Is.EqualTo(new[] { typeof(ConsoleLoggerProvider) }), "the console alone");
            Assert.That(provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName, Is.EqualTo(ConsoleFormatterNames.Json));
            Assert.That(json.IncludeScopes, Is.True);
            Assert.That(json.UseUtcTimestamp, Is.True);
            Assert.That(json.TimestampFormat, Is.EqualTo("yyyy-MM-ddTHH:mm:ss.fffZ"));
        }
    }

    [TestCase("text")]
    [TestCase(null)]
    [TestCase("JSON", Description = "read by the validator's rule, which refuses it at start-up")]
    public void ConfigureLogging_TextFormat_LeavesTheProvidersAlone(string? format)
    {
        var services = new ServiceCollection();
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Est:LogFormat", format)]).Build();
        services.AddLogging(logging =>
        {
            logging.AddDebug();
            EstServerApplication.ConfigureLogging(logging, configuration);
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.That(provider.GetServices<ILoggerProvider>().Select(p => p.GetType().Name), Is.EqualTo(new[] { "DebugLoggerProvider" }));
    }

    [Test]
    public void Build_RedisModeWithAnInvalidKeyBlocklist_ThrowsConfigurationErrorNamingTheFile()
    {
        string blocklist = _dir.Combine("blocked-keys.txt");
        File.WriteAllText(blocklist, "not-a-digest\n");
        WebApplication? app = null;
        try
        {
            EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => app = EstServerApplication.Build(
                [$"--Est:DataDir={_dir.Path}", "--Est:Redis=127.0.0.1:1", $"--Est:KeyBlocklistPath={blocklist}", "--urls=https://127.0.0.1:0"]));

            Assert.That(exception!.Message, Is.EqualTo(
                $"cannot load Est:KeyBlocklistPath: {blocklist}: 'not-a-digest' is not a SHA-256 hex digest of a SubjectPublicKeyInfo"));
        }
        finally
        {
            (app as IDisposable)?.Dispose();
        }
    }

    [Test]
    public async Task Build_ConfigFileInEstConfigDir_IsReadBelowEnvironmentAndCommandLine()
    {
        string profiles = TestProfile.WriteDirectory(_dir.Combine("profiles-from-file"), new TestProfile { Name = "fromfile", Labels = ["fromfile"] });
        await File.WriteAllTextAsync(
            _dir.Combine("estserver.json"),
            $$"""{ "Est": { "ProfilesPath": "{{profiles}}", "RetryAfter": "00:00:09", "MaxRequestBodyBytes": 2048, "ProfilesReloadInterval": "00:00:07" } }""");
        using var environment = new EnvironmentVariableScope()
            .Set("EST_CONFIG_DIR", _dir.Path)
            .Set("Est__MaxRequestBodyBytes", "4096");

        await using WebApplication app = EstServerApplication.Build([$"--Est:DataDir={_dir.Path}", "--Est:RetryAfter=00:00:03", "--urls=https://127.0.0.1:0"]);
        EstOptions options = app.Services.GetRequiredService<IOptions<EstOptions>>().Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.ProfilesPath, Is.EqualTo(profiles), "from the file");
            Assert.That(options.ProfilesReloadInterval, Is.EqualTo(TimeSpan.FromSeconds(7)), "from the file");
            Assert.That(app.Services.GetRequiredService<IProfileCatalogProvider>().Current.Labels, Is.EqualTo(new[] { "fromfile" }), "the profiles of the directory the file names");
            Assert.That(options.MaxRequestBodyBytes, Is.EqualTo(4096), "the environment overrides the file");
            Assert.That(options.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)), "the command line overrides the file");
        }
    }

    [Test]
    public async Task Build_NoDataDirConfigured_UsesEstDataDirEnvironmentVariable()
    {
        using var environment = new EnvironmentVariableScope().Set("EST_DATA_DIR", _dir.Path).Set("EST_CONFIG_DIR", _dir.Path);

        await using WebApplication app = EstServerApplication.Build(["--urls=https://127.0.0.1:0"]);

        Assert.That(app.Services.GetRequiredService<IOptions<EstOptions>>().Value.DataDir, Is.EqualTo(_dir.Path));
    }
}
