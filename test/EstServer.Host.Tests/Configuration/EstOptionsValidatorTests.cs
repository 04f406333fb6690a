using EstServer.Host.Configuration;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Tests.Configuration;

/// <summary>Every problem with the "Est" settings is reported, all at once, in terms of the setting's name.</summary>
[TestFixture]
public sealed class EstOptionsValidatorTests
{
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
        var options = new EstOptions { Ca = { CertificatePath = "ca.pem" } };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures, Is.EquivalentTo(new[]
        {
            "Est:Ca:KeyPath is required when Est:Ca:CertificatePath is set",
            "Est:Tls:CertificatePath and Est:Tls:KeyPath are required when a CA is configured",
        }));
    }

    [Test]
    public void Validate_TlsCertificateWithoutKey_Fails()
    {
        EstOptions options = ConfiguredCa();
        options.Tls.KeyPath = " ";

        Assert.That(_validator.Validate(null, options).Failures, Is.EqualTo(new[] { "Est:Tls:KeyPath is required when Est:Tls:CertificatePath is set" }));
    }

    [Test]
    public void Validate_CaKeyWithoutCaCertificate_IsNotACaConfiguration()
    {
        var options = new EstOptions { Ca = { KeyPath = "ca.key" } };

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

    [TestCase(-1, false)]
    [TestCase(0, true)]
    [TestCase(256, true)]
    [TestCase(257, false)]
    public void Validate_SigningConcurrency_MustBeZeroTo256(int value, bool valid)
    {
        var options = new EstOptions { Signing = { Concurrency = value } };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:Signing:Concurrency must be between 0 (one per processor) and 256" }));
    }

    [TestCase(0, false)]
    [TestCase(1, true)]
    [TestCase(1_000_000, true)]
    [TestCase(1_000_001, false)]
    public void Validate_SigningQueueCapacity_MustBeOneToAMillion(int value, bool valid)
    {
        var options = new EstOptions { Signing = { QueueCapacity = value } };

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.That(result.Failures ?? [], valid ? Is.Empty : Is.EqualTo(new[] { "Est:Signing:QueueCapacity must be between 1 and 1000000" }));
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
            Signing = { Concurrency = -1, QueueCapacity = 0 },
            Ca = { CertificatePath = "ca.pem" },
        };

        ValidateOptionsResult result = _validator.Validate(null, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failures?.Count(), Is.EqualTo(8), result.FailureMessage);
            Assert.That(result.FailureMessage, Does.Contain("Est:MaxRequestBodyBytes").And.Contain("Est:Signing:QueueCapacity").And.Contain("Est:ProfilesReloadInterval").And.Contain("Est:Tls:CertificatePath"));
        }
    }

    private static EstOptions ConfiguredCa() => new()
    {
        Ca = { CertificatePath = "ca.pem", KeyPath = "ca.key" },
        Tls = { CertificatePath = "tls.pem", KeyPath = "tls.key" },
    };
}
