using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// Keys that are weak whatever their size are refused with 400 before anything is signed: RSA keys with
/// a broken structure (checked on hand-made requests whose signatures are valid, so nothing else could
/// be the reason), and keys on the Est:KeyBlocklistPath list (SHA-256 of the SubjectPublicKeyInfo).
/// </summary>
[TestFixture]
public sealed class EstEndpointsWeakKeyTests
{
    private const string SimpleEnroll = "/.well-known/est/simpleenroll";

    private TempDirectory _dir = null!;
    private TestCsr _blocked = null!;
    private EstHostFactory _factory = null!;
    private X509Certificate2 _device = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _dir = new TempDirectory();
        _blocked = TestCsr.Create("CN=blocked-key");
        string blocklist = _dir.Combine("blocked-keys.txt");
        string hash = Convert.ToHexString(SHA256.HashData(_blocked.SubjectPublicKeyInfo));
        File.WriteAllText(blocklist, $"# keys published in a vendor's documentation\n\n{hash}  # upper case is fine\n{new string('0', 64)}\n");
        _factory = new EstHostFactory(
            settings: new Dictionary<string, string?> { ["Est:KeyBlocklistPath"] = blocklist },
            profiles: [new TestProfile { Name = "weak-keys", Default = true }]);
        _device = _factory.LoadDeviceIdentity();
        _client = _factory.CreateClientPresenting(_device);
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _client.Dispose();
        _device.Dispose();
        _factory.Dispose();
        _dir.Dispose();
    }

    [Test]
    public async Task SimpleEnroll_HandMadeRequestForASoundKey_Returns200ForThatKey()
    {
        (BigInteger p, BigInteger q, BigInteger e) = RsaNumbers.PlatformKey();
        TestCsr csr = TestCsr.FromRsaNumbers("CN=hand-made-sound", p.Multiply(q), e, RsaNumbers.PrivateExponent(e, p, q));

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using X509Certificate2 issued = await EstWire.ReadIssuedAsync(response);

        Assert.That(issued.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(csr.SubjectPublicKeyInfo), "the control for the refusals below");
    }

    [Test]
    public async Task SimpleEnroll_RsaPublicExponentOneWithAValidSignature_Returns400()
    {
        (BigInteger p, BigInteger q, _) = RsaNumbers.PlatformKey();
        TestCsr csr = TestCsr.FromRsaNumbers("CN=exponent-one", p.Multiply(q), BigInteger.One, privateExponent: null);

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));

        await AssertRefusedAsync(response, "CSR RSA public exponent is invalid (it must be odd and at least 3; 65537 is usual)\n");
    }

    [TestCase(2)]
    [TestCase(4)]
    [TestCase(65536)]
    public async Task SimpleEnroll_RsaPublicExponentEven_Returns400(int exponent)
    {
        (BigInteger p, BigInteger q, _) = RsaNumbers.PlatformKey();
        TestCsr csr = TestCsr.FromRsaNumbers("CN=exponent-even", p.Multiply(q), BigInteger.ValueOf(exponent), privateExponent: null);

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));

        await AssertRefusedAsync(response, "CSR RSA public exponent is invalid (it must be odd and at least 3; 65537 is usual)\n");
    }

    [TestCase(3)]
    [TestCase(997)]
    public async Task SimpleEnroll_RsaModulusWithASmallPrimeFactor_Returns400(int smallPrime)
    {
        (BigInteger p, BigInteger q, BigInteger e) = RsaNumbers.PlatformKey();
        BigInteger small = BigInteger.ValueOf(smallPrime);
        TestCsr csr = TestCsr.FromRsaNumbers("CN=small-factor", p.Multiply(q).Multiply(small), e, RsaNumbers.PrivateExponent(e, p, q, small));

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));

        await AssertRefusedAsync(response, "CSR RSA modulus has a small factor: the key is broken; generate a new key\n");
    }

    [Test]
    public async Task SimpleEnroll_RsaModulusOfTwoNearlyEqualPrimes_Returns400()
    {
        BigInteger e = BigInteger.ValueOf(65537);
        BigInteger p = NextPrimeCoprimeTo(e, new BigInteger(1, RandomNumberGenerator.GetBytes(128)).SetBit(1023).SetBit(1022));
        BigInteger q = NextPrimeCoprimeTo(e, p);
        BigInteger n = p.Multiply(q);
        Assert.That(n.BitLength, Is.EqualTo(2048), "big enough for the profile, so only the structure can be wrong");
        TestCsr csr = TestCsr.FromRsaNumbers("CN=close-primes", n, e, RsaNumbers.PrivateExponent(e, p, q));

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));

        await AssertRefusedAsync(response, "CSR RSA modulus is the product of two nearly equal primes: the key is broken; generate a new key\n");
    }

    [Test]
    public async Task SimpleEnroll_KeyOnTheBlocklist_Returns400()
    {
        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(_blocked.Base64));

        await AssertRefusedAsync(response, "CSR public key is on the blocklist of known-compromised keys; generate a new key\n");
    }

    [Test]
    public async Task SimpleEnroll_KeyNotOnTheBlocklist_Returns200()
    {
        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(TestCsr.Create("CN=blocked-key").Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task SimpleReenroll_RenewingOntoAKeyOnTheBlocklist_Returns400()
    {
        using HttpResponseMessage enrolled = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(TestCsr.Create("CN=blocked-key").Base64));
        Assert.That(enrolled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await enrolled.Content.ReadAsStringAsync());
        using X509Certificate2 current = await EstWire.ReadIssuedAsync(enrolled);
        using HttpClient client = _factory.CreateClientPresenting(current);

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/.well-known/est/simplereenroll"), EstWire.Body(_blocked.Base64));

        await AssertRefusedAsync(response, "CSR public key is on the blocklist of known-compromised keys; generate a new key\n");
    }

    private static BigInteger NextPrimeCoprimeTo(BigInteger exponent, BigInteger start)
    {
        BigInteger prime = start.NextProbablePrime();
        while (!prime.Subtract(BigInteger.One).Gcd(exponent).Equals(BigInteger.One))
        {
            prime = prime.NextProbablePrime();
        }

        return prime;
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(body, Is.EqualTo(reason));
        }
    }
}
