using EstServer.Host.Configuration;
using EstServer.Host.DevPki;
using EstServer.Host.Pki;
using EstServer.Host.Startup;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EstServer.Host.Tests.Startup;

/// <summary>
/// estserver signer: a worker without HTTP that takes signing jobs from Redis and alone holds the CA key.
/// It is built (never started here: that needs Redis) and checked for what it loads.
/// </summary>
[TestFixture]
public sealed class SignerApplicationTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public void Build_WithoutRedis_ThrowsSayingWhereJobsComeFrom()
    {
        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => SignerApplication.Build([$"--Est:DataDir={_dir.Path}"]));

        Assert.That(exception!.Message, Is.EqualTo("a signer worker takes its jobs from Redis: set Est:Redis (e.g. Est__Redis=127.0.0.1:6379)"));
    }

    [Test]
    public void Build_WithRedisOnTheDevPki_HoldsTheCaKeyButNoTlsCertificateAndSharesTheQueueSecret()
    {
        using IHost signer = SignerApplication.Build([$"--Est:DataDir={_dir.Path}", "--Est:Redis=127.0.0.1:1"]);

        PkiMaterial pki = signer.Services.GetRequiredService<PkiMaterial>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pki.Signer, Is.Not.Null);
            Assert.That(pki.Ca.Matches(pki.Signer!), Is.True);
            Assert.That(pki.ServerCertificate, Is.Null, "a worker serves no HTTPS");
            Assert.That(File.Exists(Path.Combine(_dir.Path, "queue-secret")), Is.True, "hosts and local workers on the development PKI share this secret");
        }
    }

    [Test]
    public void Build_WithRedisWithoutTheCaKey_ThrowsNamingTheKey()
    {
        DevPkiLayout dev = DevPkiLayout.InDataDir(_dir.Path);
        DevPkiGenerator.EnsureCreated(dev, TimeProvider.System);
        File.Delete(dev.IssuingCaKey);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(
            () => SignerApplication.Build([$"--Est:DataDir={_dir.Path}", "--Est:Redis=127.0.0.1:1"]));

        Assert.That(exception!.Message, Does.StartWith("cannot load Est:Ca:KeyPath: ").And.Contain(dev.IssuingCaKey));
    }
}
