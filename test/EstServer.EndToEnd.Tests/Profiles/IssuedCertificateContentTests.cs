using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Profiles;

/// <summary>
/// What a profile says a certificate contains, checked on certificates issued over real TLS: exactly the
/// profile's certificatePolicies (with CPS and user-notice qualifiers), keyUsage, extendedKeyUsage and
/// validity, read both with BouncyCastle/.NET and with openssl x509 -text.
/// </summary>
[TestFixture]
public sealed class IssuedCertificateContentTests
{
    private const string MainOid = "2.999.88.1";
    private const string SecondOid = "2.999.88.2";
    private const string ShortOid = "2.999.88.3";
    private const string Cps = "https://pki.example.com/cps/e2e";
    private const string Notice = "Issued by the EstServer end-to-end tests; not for production use.";
    private const string PrivateEkuOid = "1.3.6.1.4.1.55555.7";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string EmailProtectionOid = "1.3.6.1.5.5.7.3.4";
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    private EstTestServer _server = null!;
    private HttpClient _device = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        var main = new TestProfile
        {
            Name = "e2e-content",
            Default = true,
            PolicyOid = MainOid,
            Cps = Cps,
            Notice = Notice,
            Validity = "90d",
            KeyUsage = "[digitalSignature, nonRepudiation, keyEncipherment, keyAgreement]",
            ExtendedKeyUsage = $"[clientAuth, emailProtection, {PrivateEkuOid}]",
        };
        var hours = new TestProfile
        {
            Name = "e2e-short",
            Labels = ["short"],
            PolicyOid = ShortOid,
            Validity = "36h",
            KeyUsage = "[digitalSignature]",
            ExtendedKeyUsage = "[serverAuth]",
        };
        _server = await EstTestServer.StartAsync(new()
        {
            WriteProfiles = directory =>
            {
                // TestProfile writes one policy; the second, without qualifiers, follows it in the same list.
                string yaml = main.ToYaml().Replace("validity: ", $"  - oid: {SecondOid}\nvalidity: ", StringComparison.Ordinal);
                File.WriteAllText(Path.Combine(directory, "e2e-content.yaml"), yaml);
                File.WriteAllText(Path.Combine(directory, "e2e-short.yaml"), hours.ToYaml());
            },
        });
        _device = _server.CreateClient(_server.DemoDevice);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _device?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task SimpleEnroll_ProfileWithTwoPolicies_CertificateCarriesExactlyThemWithQualifiers()
    {
        using X509Certificate2 issued = await EnrollAsync(EstRequests.SimpleEnroll, TestKeyType.EcP256);

        IReadOnlyList<IssuedPolicy> policies = CertificatePolicyReader.Read(issued);

        Assert.That(policies, Has.Count.EqualTo(2), string.Join("; ", policies));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(policies[0].Oid, Is.EqualTo(MainOid));
            Assert.That(policies[0].QualifierOids, Is.EqualTo(new[] { CertificatePolicyReader.CpsQualifierOid, CertificatePolicyReader.UserNoticeQualifierOid }));
            Assert.That(policies[0].Cps, Is.EqualTo(Cps));
            Assert.That(policies[0].Notice, Is.EqualTo(Notice));
            Assert.That(policies[0].NoticeStringType, Is.EqualTo("DerUtf8String"), "RFC 5280 §4.2.1.4: explicitText SHOULD be a UTF8String");
            Assert.That(policies[1].Oid, Is.EqualTo(SecondOid));
            Assert.That(policies[1].QualifierOids, Is.Empty);
            Assert.That(issued.Extensions[CertificatePolicyReader.ExtensionOid]!.Critical, Is.False);
        }
    }

    [TestCase(TestKeyType.EcP256, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyAgreement)]
    [TestCase(TestKeyType.Rsa2048, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyEncipherment)]
    public async Task SimpleEnroll_ProfileKeyUsage_CertificateHasProfileBitsTheKeyCanUse(TestKeyType keyType, X509KeyUsageFlags expected)
    {
        // keyEncipherment applies to RSA keys only and keyAgreement to EC keys only (README, keyUsage).
        using X509Certificate2 issued = await EnrollAsync(EstRequests.SimpleEnroll, keyType);

        X509KeyUsageExtension? usage = issued.Extensions.OfType<X509KeyUsageExtension>().SingleOrDefault();
        Assert.That(usage, Is.Not.Null, "keyUsage present");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(usage!.KeyUsages, Is.EqualTo(expected));
            Assert.That(usage.Critical, Is.True, "RFC 5280 §4.2.1.3: keyUsage SHOULD be critical");
        }
    }

    [Test]
    public async Task SimpleEnroll_ProfileExtendedKeyUsage_CertificateHasExactlyThoseInProfileOrder()
    {
        using X509Certificate2 issued = await EnrollAsync(EstRequests.SimpleEnroll, TestKeyType.EcP256);

        Assert.That(ExtendedKeyUsages(issued), Is.EqualTo(new[] { ClientAuthOid, EmailProtectionOid, PrivateEkuOid }));
    }

    [Test]
    public async Task SimpleEnroll_ProfileValidity90Days_CertificateSpans90DaysPlusBackdate()
    {
        DateTime before = Truncate(DateTime.UtcNow);
        using X509Certificate2 issued = await EnrollAsync(EstRequests.SimpleEnroll, TestKeyType.EcP256);
        DateTime after = DateTime.UtcNow;

        AssertValidity(issued, TimeSpan.FromDays(90), before, after);
    }

    [Test]
    public async Task SimpleEnroll_LabelWithHourValidity_CertificateFollowsThatProfileOnly()
    {
        DateTime before = Truncate(DateTime.UtcNow);
        using X509Certificate2 issued = await EnrollAsync(EstRequests.Root + "/short/simpleenroll", TestKeyType.EcP256);
        DateTime after = DateTime.UtcNow;

        AssertValidity(issued, TimeSpan.FromHours(36), before, after);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CertificatePolicyReader.Read(issued), Is.EqualTo(new[] { new IssuedPolicy(ShortOid, [], null, null, null) }).Using<IssuedPolicy>(SamePolicy));
            Assert.That(issued.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages, Is.EqualTo(X509KeyUsageFlags.DigitalSignature));
            Assert.That(ExtendedKeyUsages(issued), Is.EqualTo(new[] { ServerAuthOid }));
        }
    }

    [TestCase(TestKeyType.EcP256, "Digital Signature, Non Repudiation, Key Agreement")]
    [TestCase(TestKeyType.Rsa2048, "Digital Signature, Non Repudiation, Key Encipherment")]
    public async Task OpensslX509Text_IssuedCertificate_ShowsProfilePoliciesUsagesAndValidity(TestKeyType keyType, string keyUsage)
    {
        using X509Certificate2 issued = await EnrollAsync(EstRequests.SimpleEnroll, keyType);

        string text = await OpensslText.X509Async(issued);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain(
                $"X509v3 Certificate Policies:\nPolicy: {MainOid}\nCPS: {Cps}\nUser Notice:\nExplicit Text: {Notice}\nPolicy: {SecondOid}\n"), text);
            Assert.That(text.Split('\n').Count(line => line.StartsWith("Policy: ", StringComparison.Ordinal)), Is.EqualTo(2), text);
            Assert.That(text, Does.Contain($"X509v3 Key Usage: critical\n{keyUsage}\n"), text);
            Assert.That(text, Does.Contain($"X509v3 Extended Key Usage:\nTLS Web Client Authentication, E-mail Protection, {PrivateEkuOid}\n"), text);
            Assert.That(OpensslText.ValidityTime(text, "Not After") - OpensslText.ValidityTime(text, "Not Before"), Is.EqualTo(TimeSpan.FromDays(90) + Backdate));
        }
    }

    [Test]
    public async Task OpensslX509Text_HourValidityLabel_ShowsOnlyThatProfilesPolicyAndUsages()
    {
        using X509Certificate2 issued = await EnrollAsync(EstRequests.Root + "/short/simpleenroll", TestKeyType.EcP256);

        string text = await OpensslText.X509Async(issued);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain($"X509v3 Certificate Policies:\nPolicy: {ShortOid}\n"), text);
            Assert.That(text.Split('\n').Count(line => line.StartsWith("Policy: ", StringComparison.Ordinal)), Is.EqualTo(1), text);
            Assert.That(text, Does.Not.Contain("CPS:").And.Not.Contain("User Notice"), text);
            Assert.That(text, Does.Contain("X509v3 Key Usage: critical\nDigital Signature\n"), text);
            Assert.That(text, Does.Contain("X509v3 Extended Key Usage:\nTLS Web Server Authentication\n"), text);
            Assert.That(OpensslText.ValidityTime(text, "Not After") - OpensslText.ValidityTime(text, "Not Before"), Is.EqualTo(TimeSpan.FromHours(36) + Backdate));
        }
    }

    private async Task<X509Certificate2> EnrollAsync(string path, TestKeyType keyType)
    {
        TestCsr csr = TestCsr.Create($"CN=e2e-content-{keyType}", keyType);
        X509Certificate2 issued = await EstRequests.EnrollAsync(_device, path, csr);
        IssuedCertificateAssert.CertifiesCsr(issued, csr);
        return issued;
    }

    private static string?[] ExtendedKeyUsages(X509Certificate2 issued) =>
        issued.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToArray();

    /// <summary>notAfter - notBefore is the validity plus the backdate; notBefore is the backdate before the request.</summary>
    private static void AssertValidity(X509Certificate2 issued, TimeSpan validity, DateTime requestedFrom, DateTime answeredBy)
    {
        DateTime notBefore = issued.NotBefore.ToUniversalTime();
        DateTime notAfter = issued.NotAfter.ToUniversalTime();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(notAfter - notBefore, Is.EqualTo(validity + Backdate));
            Assert.That(notBefore, Is.InRange(requestedFrom - Backdate, answeredBy - Backdate), "notBefore is the signing time minus the backdate");
        }
    }

    private static DateTime Truncate(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static bool SamePolicy(IssuedPolicy a, IssuedPolicy b) =>
        a.Oid == b.Oid && a.QualifierOids.SequenceEqual(b.QualifierOids) && a.Cps == b.Cps && a.Notice == b.Notice && a.NoticeStringType == b.NoticeStringType;
}
