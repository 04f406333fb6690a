using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Trust;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Pipeline;

public class KeyChecksTests
{
    private static readonly CertificateProfile Profile = ModelProfiles.Device("devices", new TrustAnchors("none", []));

    [Test]
    public void Check_WeakKey_ReturnsBadRequestNamingKey()
    {
        EstError? error = KeyChecks.PolicyOnly.Check(Profile, Decode(TestCsr.Create("CN=weak", TestKeyType.Rsa1024)));

        Assert.That(error, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(EstErrorKind.BadRequest));
            Assert.That(error.Reason, Does.Contain("RSA-1024"));
        });
    }

    [Test]
    public void Check_KeyTheProfileAllows_Passes()
    {
        Assert.That(KeyChecks.PolicyOnly.Check(Profile, Decode(TestCsr.Create("CN=ok"))), Is.Null);
    }

    [Test]
    public void Check_AllowedKeyOnTheBlocklist_RefusedNamingTheBlocklist()
    {
        TestCsr csr = TestCsr.Create("CN=leaked");
        var checks = new KeyChecks(new WeakKeyCheck(new HashSet<string> { WeakKeyCheck.KeyHash(csr.Key!.ExportSubjectPublicKeyInfo()) }));

        EstError? error = checks.Check(Profile, Decode(csr));

        Assert.That(error?.Reason, Does.Contain("blocklist"));
        Assert.That(checks.Check(Profile, Decode(TestCsr.Create("CN=fresh"))), Is.Null, "other keys pass");
    }

    [Test]
    public void Check_KeyRefusedByPolicyAndBlocked_PolicyAnswers()
    {
        // The profile speaks first: its reason says what to generate instead.
        TestCsr csr = TestCsr.Create("CN=both", TestKeyType.EcP521);
        var checks = new KeyChecks(new WeakKeyCheck(new HashSet<string> { WeakKeyCheck.KeyHash(csr.Key!.ExportSubjectPublicKeyInfo()) }));

        Assert.That(checks.Check(Profile, Decode(csr))?.Reason, Does.Contain("EC P-521 is not allowed"));
    }

    private static CertificationRequest Decode(TestCsr csr)
    {
        Result<CertificationRequest> result = CsrDecoder.Decode(csr.Der);
        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        return result.Value;
    }
}
