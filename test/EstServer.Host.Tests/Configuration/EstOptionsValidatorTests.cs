using EstServer.Host.Configuration;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Tests.Configuration;

/// <summary>Every problem with the "Est" settings is reported, all at once, in terms of the setting's name.</summary>
[TestFixture]
public sealed class EstOptionsValidatorTests
{
    private const string LimitsMessage =
        "Est:Limits: MaxConnections >= 1, MaxRequestHeadersBytes >= 1024, MaxRequestHeaderCount >= 8, MaxRequestLineBytes >= 256, MaxStreamsPerConnection >= 1";

    private readonly EstOptionsValidator _validator = new();

    [Test]
    public void Validate_Defaults_Succeed()
    {
        ValidateOptionsResult result = _validator.Validate(null, new EstOptions());

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [Test]
    public void Validate_FullyConfiguredCa_Succeeds()
    {
        EstOptions options = ConfiguredCa();

        Assert.That(_validator.Validate(null, options).Succeeded, Is.True);
    }

    [Test]
    public void Validate_CaWithoutKeyOrTls_ReportsBoth()
    {
        var options = new EstOptions { Ca = new CaOptions { CertificatePath = "ca.pem" } };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures, Is.EquivalentTo(new[]
        {
            "Est:Ca:KeyPath is required when Est:Ca:CertificatePath is set and no Redis queue is configured (the host signs)",
            "Est:Tls:CertificatePath and Est:Tls:KeyPath are required when a CA is configured",
        }));
    }

    [Test]
    public void Validate_ConfiguredCaWithRedisAndNoKey_AsksOnlyForTheQueueSecret()
    {
        EstOptions options = ConfiguredCa();
        options = options with { Ca = options.Ca with { KeyPath = "" }, Redis = "127.0.0.1:6379" };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures, Is.EqualTo(new[]
        {
            "Est:Queue:Secret or Est:Queue:SecretFile is required with Redis and a configured CA (hosts and workers must share it)",
        }));
    }

    [TestCase("Secret")]
    [TestCase("SecretFile")]
    public void Validate_ConfiguredCaWithRedisAndASharedSecret_SucceedsWithoutTheCaKey(string setting)
    {
        EstOptions options = ConfiguredCa();
        options = options with { Ca = options.Ca with { KeyPath = "" }, Redis = "127.0.0.1:6379" };
        if (setting == "Secret")
        {
            options = options with { Queue = options.Queue with { Secret = Convert.ToBase64String(new byte[32]) } };
        }
        else
        {
            options = options with { Queue = options.Queue with { SecretFile = "/run/secrets/est-queue" } };
        }

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [Test]
    public void Validate_RedisWithTheDevelopmentPki_NeedsNoSecret()
    {
        ValidateOptionsResult result = _validator.Validate(null, new EstOptions { Redis = "127.0.0.1:6379" });

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [Test]
    public void Validate_TlsCertificateWithoutKey_Fails()
    {
        EstOptions options = ConfiguredCa();
        options = options with { Tls = options.Tls with { KeyPath = " " } };

        Assert.That(_validator.Validate(null, options).Failures, Is.EqualTo(new[] { "Est:Tls:KeyPath is required when Est:Tls:CertificatePath is set" }));
    }

    [Test]
    public void Validate_CaKeyWithoutCaCertificate_IsNotACaConfiguration()
    {
        var options = new EstOptions { Ca = new CaOptions { KeyPath = "ca.key" } };

        Assert.That(_validator.Validate(null, options).Succeeded, Is.True);
    }

    [TestCase(1023, false)]
    [TestCase(1024, true)]
    [TestCase(16 * 1024 * 1024, true)]
    [TestCase(16 * 1024 * 1024 + 1, false)]
    [TestCase(-1, false)]
    public void Validate_MaxRequestBodyBytes_MustBeWithin1KiBAnd16MiB(long value, bool valid)
    {
        ValidateOptionsResult result = _validator.Validate(null, new EstOptions { MaxRequestBodyBytes = value });

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:MaxRequestBodyBytes must be between 1024 and 16777216" }));
    }

    [TestCase("00:00:00", false)]
    [TestCase("-00:00:01", false)]
    [TestCase("00:00:00.001", true)]
    [TestCase("00:05:00", true)]
    [TestCase("00:05:00.001", false)]
    public void Validate_EnrollmentWaitBudget_MustBePositiveAndAtMostFiveMinutes(string value, bool valid)
    {
        ValidateOptionsResult result = _validator.Validate(null, new EstOptions { EnrollmentWaitBudget = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:EnrollmentWaitBudget must be positive and at most 00:05:00" }));
    }

    [TestCase("00:00:00.999", false)]
    [TestCase("00:00:01", true)]
    [TestCase("01:00:00", true)]
    [TestCase("01:00:01", false)]
    public void Validate_RetryAfter_MustBeOneSecondToOneHour(string value, bool valid)
    {
        ValidateOptionsResult result = _validator.Validate(null, new EstOptions { RetryAfter = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:RetryAfter must be between 00:00:01 and 01:00:00" }));
    }

    [TestCase("00:00:00.099", false)]
    [TestCase("00:00:00.100", true)]
    [TestCase("01:00:00", true)]
    [TestCase("01:00:00.001", false)]
    [TestCase("-00:00:01", false)]
    public void Validate_ProfilesReloadInterval_MustBeTenthOfASecondToOneHour(string value, bool valid)
    {
        ValidateOptionsResult result = _validator.Validate(null, new EstOptions { ProfilesReloadInterval = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:ProfilesReloadInterval must be between 00:00:00.1 and 01:00:00" }));
    }

    [Test]
    public void Validate_ProfilesPathThatDoesNotExist_IsLeftToTheProfileLoader()
    {
        ValidateOptionsResult result = _validator.Validate(null, new EstOptions { ProfilesPath = "/no/such/profiles" });

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    /// <summary>The signer's own bound (SigningWorkerOptions), so a value the host accepts never fails later in the signer.</summary>
    [TestCase(-1, false)]
    [TestCase(0, true)]
    [TestCase(256, true)]
    [TestCase(1024, true)]
    [TestCase(1025, false)]
    public void Validate_SigningConcurrency_MustBeZeroTo1024(int value, bool valid)
    {
        var options = new EstOptions { Signing = new SigningOptions { Concurrency = value } };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:Signing:Concurrency must be between 0 (one per processor) and 1024" }));
    }

    [TestCase(0, false)]
    [TestCase(1, true)]
    [TestCase(1_000_000, true)]
    [TestCase(1_000_001, false)]
    public void Validate_SigningQueueCapacity_MustBeOneToAMillion(int value, bool valid)
    {
        var options = new EstOptions { Signing = new SigningOptions { QueueCapacity = value } };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:Signing:QueueCapacity must be between 1 and 1000000" }));
    }

    [TestCase("refuse", true)]
    [TestCase("allow", true)]
    [TestCase("Refuse", false)]
    [TestCase("off", false)]
    [TestCase("", false)]
    public void Validate_DuplicateKeys_MustBeRefuseOrAllow(string value, bool valid)
    {
        ValidateOptionsResult result = _validator.Validate(null, new EstOptions { DuplicateKeys = value });

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:DuplicateKeys must be refuse or allow" }));
    }

    [TestCase("text", true)]
    [TestCase("json", true)]
    [TestCase("JSON", false)]
    [TestCase("xml", false)]
    [TestCase("", false)]
    public void Validate_LogFormat_MustBeTextOrJson(string value, bool valid)
    {
        ValidateOptionsResult result = _validator.Validate(null, new EstOptions { LogFormat = value });

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:LogFormat must be text or json" }));
    }

    [TestCase(0, 0, 0, true)]
    [TestCase(1, 1, 1, true)]
    [TestCase(-1, 600, 60, false)]
    [TestCase(600, -1, 60, false)]
    [TestCase(600, 600, -1, false)]
    [TestCase(-1, -1, -1, false)]
    public void Validate_RateLimits_MustBeZeroOrPositive(int perCertificate, int perAddress, int reenroll, bool valid)
    {
        var options = new EstOptions
        {
            RateLimits = new RateLimitOptions { PerClientCertificatePerMinute = perCertificate, PerAddressPerMinute = perAddress, ReenrollPerCertificatePerHour = reenroll },
        };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:RateLimits values must be 0 (off) or positive" }));
    }

    [TestCase("MaxConnections", 0)]
    [TestCase("MaxRequestHeadersBytes", 1023)]
    [TestCase("MaxRequestHeaderCount", 7)]
    [TestCase("MaxRequestLineBytes", 255)]
    [TestCase("MaxStreamsPerConnection", 0)]
    public void Validate_KestrelLimitBelowItsMinimum_NamesEveryMinimum(string setting, int value)
    {
        var options = new EstOptions();
        SetLimit(options.Limits, setting, value);

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures, Is.EqualTo(new[] { LimitsMessage }));
    }

    [Test]
    public void Validate_KestrelLimitsAtTheirMinimum_Succeed()
    {
        var options = new EstOptions
        {
            Limits = new KestrelLimitOptions { MaxConnections = 1, MaxRequestHeadersBytes = 1024, MaxRequestHeaderCount = 8, MaxRequestLineBytes = 256, MaxStreamsPerConnection = 1 },
        };

        Assert.That(_validator.Validate(null, options).Succeeded, Is.True);
    }

    [TestCase("RequestHeadersTimeout", "00:00:00")]
    [TestCase("KeepAliveTimeout", "-00:00:01")]
    [TestCase("HandshakeTimeout", "00:00:00")]
    public void Validate_KestrelTimeoutNotPositive_Fails(string setting, string value)
    {
        var options = new EstOptions();
        typeof(KestrelLimitOptions).GetProperty(setting)!.SetValue(options.Limits, TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures, Is.EqualTo(new[] { "Est:Limits timeouts must be positive" }));
    }

    [TestCase(-1, false)]
    [TestCase(0, true)]
    [TestCase(9464, true)]
    [TestCase(65535, true)]
    [TestCase(65536, false)]
    public void Validate_MetricsSignerPort_MustBeZeroOrAPort(int value, bool valid)
    {
        ValidateOptionsResult result = _validator.Validate(null, new EstOptions { Metrics = new MetricsOptions { SignerPort = value } });

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:Metrics:SignerPort must be 0 (off) or a port number" }));
    }

    [TestCase("00:00:00.999", false)]
    [TestCase("00:00:01", true)]
    [TestCase("01:00:00", true)]
    [TestCase("01:00:01", false)]
    public void Validate_QueueLeaseTimeoutWithRedis_MustBeOneSecondToOneHour(string value, bool valid)
    {
        var options = new EstOptions { Redis = "127.0.0.1:6379", Queue = new() { LeaseTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) } };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:Queue:LeaseTimeout must be between 00:00:01 and 01:00:00" }));
    }

    [TestCase(0, false)]
    [TestCase(1, true)]
    [TestCase(10_000_000, true)]
    [TestCase(10_000_001, false)]
    public void Validate_QueueMaxBacklogWithRedis_MustBeOneToTenMillion(int value, bool valid)
    {
        var options = new EstOptions { Redis = "127.0.0.1:6379", Queue = new() { MaxBacklog = value } };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:Queue:MaxBacklog must be between 1 and 10000000" }));
    }

    [TestCase("00:00:59", false)]
    [TestCase("00:01:00", true)]
    public void Validate_QueueResultTtlWithRedis_MustBeAtLeastAMinute(string value, bool valid)
    {
        var options = new EstOptions { Redis = "127.0.0.1:6379", Queue = new() { ResultTtl = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) } };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(
            result.Failures ?? [],
            valid ? Is.Empty : Is.EqualTo(new[] { "Est:Queue:ResultTtl must be at least 00:01:00 (clients come back for their certificate after a 202)" }));
    }

    [TestCase("HeartbeatInterval", "00:00:00.009", false)]
    [TestCase("HeartbeatInterval", "00:00:00.010", true)]
    [TestCase("OperationTimeout", "00:10:00", true)]
    [TestCase("OperationTimeout", "00:10:00.001", false)]
    [TestCase("BreakDuration", "00:00:00", false)]
    [TestCase("ResultPollInterval", "00:11:00", false)]
    [TestCase("IdlePollInterval", "-00:00:01", false)]
    public void Validate_QueueIntervalWithRedis_MustBeTenMillisecondsToTenMinutes(string setting, string value, bool valid)
    {
        var options = new EstOptions { Redis = "127.0.0.1:6379" };
        typeof(EstServer.Redis.RedisQueueOptions).GetProperty(setting)!.SetValue(options.Queue, TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { $"Est:Queue:{setting} must be between 00:00:00.01 and 00:10:00" }));
    }

    [TestCase("est", true)]
    [TestCase("fleet-1.est_a", true)]
    [TestCase("", false)]
    [TestCase("a:b", false)]
    [TestCase("with space", false)]
    [TestCase("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", false)]
    public void Validate_QueueKeyPrefixWithRedis_IsOneTo32SafeCharacters(string value, bool valid)
    {
        var options = new EstOptions { Redis = "127.0.0.1:6379", Queue = new() { KeyPrefix = value } };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:Queue:KeyPrefix must be 1-32 letters, digits, '.', '_' or '-'" }));
    }

    [Test]
    public void Validate_QueueSettingsWithoutRedis_AreNotChecked()
    {
        var options = new EstOptions
        {
            Queue = new() { LeaseTimeout = TimeSpan.Zero, MaxBacklog = 0, ResultTtl = TimeSpan.Zero, HeartbeatInterval = TimeSpan.Zero, KeyPrefix = "" },
        };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [Test]
    public void Validate_ManyProblems_CollectsEveryOne()
    {
        var options = new EstOptions
        {
            MaxRequestBodyBytes = 1,
            EnrollmentWaitBudget = TimeSpan.Zero,
            RetryAfter = TimeSpan.Zero,
            ProfilesReloadInterval = TimeSpan.Zero,
            Signing = new SigningOptions { Concurrency = -1, QueueCapacity = 0 },
            Ca = new CaOptions { CertificatePath = "ca.pem" },
        };

        ValidateOptionsResult result = _validator.Validate(null, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failures?.Count(), Is.EqualTo(8), result.FailureMessage);
            Assert.That(result.FailureMessage, Does.Contain("Est:MaxRequestBodyBytes").And.Contain("Est:Signing:QueueCapacity").And.Contain("Est:ProfilesReloadInterval").And.Contain("Est:Tls:CertificatePath"));
        }
    }

    private static void SetLimit(KestrelLimitOptions limits, string setting, int value)
    {
        System.Reflection.PropertyInfo property = typeof(KestrelLimitOptions).GetProperty(setting)!;
        property.SetValue(limits, property.PropertyType == typeof(long) ? (object)(long)value : value);
    }

    private static EstOptions ConfiguredCa() => new()
    {
        Ca = new CaOptions { CertificatePath = "ca.pem", KeyPath = "ca.key" },
        Tls = new TlsOptions { CertificatePath = "tls.pem", KeyPath = "tls.key" },
    };
}
