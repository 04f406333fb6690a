using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Profiles;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Profiles;

public class KeyPolicyTests
{
    [TestCase(TestKeyType.EcP256)]
    [TestCase(TestKeyType.EcP384)]
    [TestCase(TestKeyType.Rsa2048)]
    [TestCase(TestKeyType.Ed25519)]
    public void Check_DefaultPolicyAndAcceptedCsrKey_ReturnsNull(TestKeyType keyType)
    {
        Assert.That(ModelProfiles.DeviceKeys.Check(KeyOf(keyType)), Is.Null);
    }

    [Test]
    public void Check_DefaultPolicyAndRsa1024Csr_RefusesNamingKeyAndMinimum()
    {
        EstError? error = ModelProfiles.DeviceKeys.Check(KeyOf(TestKeyType.Rsa1024));

        AssertRefused(error, "RSA-1024", "at least 2048 bits");
    }

    [Test]
    public void Check_DefaultPolicyAndP521Csr_RefusesNamingKeyAndAllowedKeys()
    {
        EstError? error = ModelProfiles.DeviceKeys.Check(KeyOf(TestKeyType.EcP521));

        AssertRefused(error, "EC P-521", "allowed: EC P-256, EC P-384, RSA 2048-8192, Ed25519");
    }

    [Test]
    public void Check_RsaAboveMaximum_RefusesNamingKeyAndMaximum()
    {
        EstError? error = ModelProfiles.DeviceKeys.Check(new SubjectKey(KeyAlgorithm.Rsa, 8200, null));

        AssertRefused(error, "RSA-8200", "8192");
    }

    [TestCase(2047, false)]
    [TestCase(2048, true)]
    [TestCase(3072, true)]
    [TestCase(8192, true)]
    [TestCase(8193, false)]
    public void Check_RsaSizeAtBoundaries_AllowsOnlyInsideRange(int bits, bool allowed)
    {
        Assert.That(ModelProfiles.DeviceKeys.Check(new SubjectKey(KeyAlgorithm.Rsa, bits, null)) is null, Is.EqualTo(allowed));
    }

    [TestCase(TestKeyType.EcP256)]
    [TestCase(TestKeyType.Rsa2048)]
    [TestCase(TestKeyType.Ed25519)]
    public void Check_NewPolicyListingNothing_RefusesEveryKey(TestKeyType keyType)
    {
        // As a profile file's keys: block allows only what it lists.
        Assert.That(new KeyPolicy().Check(KeyOf(keyType)), Is.Not.Null);
    }

    [Test]
    public void Check_RsaDisallowed_RefusesRsa2048()
    {
        KeyPolicy policy = ModelProfiles.DeviceKeys with { AllowRsa = false };

        EstError? error = policy.Check(KeyOf(TestKeyType.Rsa2048));

        AssertRefused(error, "RSA-2048", "not allowed");
        Assert.That(error!.Reason, Does.Not.Contain("RSA 2048-8192"), "the allowed list leaves RSA out");
    }

    [Test]
    public void Check_Ed25519Disallowed_RefusesEd25519()
    {
        KeyPolicy policy = ModelProfiles.DeviceKeys with { AllowEd25519 = false };

        AssertRefused(policy.Check(KeyOf(TestKeyType.Ed25519)), "Ed25519", "not allowed");
    }

    [Test]
    public void Check_PolicyAllowingP521_AcceptsP521()
    {
        KeyPolicy policy = ModelProfiles.DeviceKeys with { AllowedCurves = new HashSet<string>(StringComparer.Ordinal) { "P-521" } };

        Assert.Multiple(() =>
        {
            Assert.That(policy.Check(KeyOf(TestKeyType.EcP521)), Is.Null);
            Assert.That(policy.Check(KeyOf(TestKeyType.EcP256)), Is.Not.Null);
        });
    }

    [Test]
    public void Check_UnlistedCurveAndExplicitParameters_Refused()
    {
        Assert.Multiple(() =>
        {
            AssertRefused(ModelProfiles.DeviceKeys.Check(new SubjectKey(KeyAlgorithm.Ec, 0, "1.3.132.0.10")), "EC 1.3.132.0.10");
            AssertRefused(ModelProfiles.DeviceKeys.Check(new SubjectKey(KeyAlgorithm.Ec, 0, "explicit parameters")), "EC explicit parameters");
        });
    }

    [Test]
    public void Check_OtherAlgorithm_RefusedNamingOid()
    {
        AssertRefused(ModelProfiles.DeviceKeys.Check(new SubjectKey(KeyAlgorithm.Other, 0, "1.3.101.113")), "1.3.101.113");
    }

    [Test]
    public void Describe_DefaultPolicy_ListsCurvesRsaRangeAndEd25519()
    {
        Assert.That(ModelProfiles.DeviceKeys.Describe(), Is.EqualTo("EC P-256, EC P-384, RSA 2048-8192, Ed25519"));
    }

    [Test]
    public void Describe_NarrowPolicy_ListsOnlyWhatIsAllowed()
    {
        var policy = new KeyPolicy { AllowRsa = false, AllowEd25519 = false, AllowedCurves = new HashSet<string>(StringComparer.Ordinal) { "P-384" } };

        Assert.That(policy.Describe(), Is.EqualTo("EC P-384"));
    }

    private static SubjectKey KeyOf(TestKeyType keyType)
    {
        Result<CertificationRequest> csr = CsrDecoder.Decode(TestCsr.Create("CN=policy", keyType).Der);
        Assert.That(csr.IsSuccess, Is.True, csr.Error?.Reason);
        return csr.Value.Key;
    }

    private static void AssertRefused(EstError? error, params string[] reasonFragments)
    {
        Assert.That(error, Is.Not.Null, "expected a refusal");
        Assert.That(error!.Kind, Is.EqualTo(EstErrorKind.BadRequest));
        foreach (string fragment in reasonFragments)
        {
            Assert.That(error.Reason, Does.Contain(fragment));
        }
    }
}
