using EstServer.Host.DevPki;
using EstServer.Host.Startup;
using EstServer.Host.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EstServer.Host.Tests.Startup;

/// <summary>The copy-pasteable openssl/curl enrollment printed at start-up on the development PKI.</summary>
[TestFixture]
public sealed class EnrollmentInstructionsTests
{
    private const string Base = "https://127.0.0.1:8443";
    private const string Est = "https://127.0.0.1:8443/.well-known/est";

    private static readonly DevPkiLayout Layout = new("/srv/est/data/dev-pki");

    [Test]
    public void Render_BaseAddress_NamesTheEstRoot()
    {
        string text = EnrollmentInstructions.Render(Base, Layout);

        Assert.That(text, Does.Contain($"EstServer is ready: {Est}{Environment.NewLine}"));
    }

    [Test]
    public void Render_BaseAddressWithTrailingSlash_HasNoDoubleSlash()
    {
        string text = EnrollmentInstructions.Render(Base + "/", Layout);

        Assert.That(text, Does.Contain($"EstServer is ready: {Est}{Environment.NewLine}").And.Not.Contain("8443//"));
    }

    [Test]
    public void Render_DevPki_EnrollsTheDemoDeviceWithItsFilesOverCurl()
    {
        string[] lines = Lines(EnrollmentInstructions.Render(Base, Layout));

        Assert.That(lines, Has.Some.EqualTo(
            "  curl --fail-with-body --cacert /srv/est/data/dev-pki/trust-anchor.pem --cert /srv/est/data/dev-pki/device.pem --key /srv/est/data/dev-pki/device.key "
            + $"-H \"Content-Type: application/pkcs10\" --data-binary @demo-op.csr.b64 -o demo-op.p7.b64 {Est}/simpleenroll"));
    }

    [Test]
    public void Render_DevPki_CreatesTheCsrForTheDemoDeviceWithOpenssl()
    {
        string[] lines = Lines(EnrollmentInstructions.Render(Base, Layout));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Has.Some.EqualTo(
                "  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj \"/CN=demo-device-0001\" -keyout demo-op.key -outform DER -out demo-op.csr"));
            Assert.That(lines, Has.Some.EqualTo("  openssl base64 -in demo-op.csr -out demo-op.csr.b64"));
        }
    }

    [Test]
    public void Render_DevPki_FetchesCacertsAndVerifiesAgainstTheTrustAnchor()
    {
        string[] lines = Lines(EnrollmentInstructions.Render(Base, Layout));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Has.Some.EqualTo($"  curl --fail-with-body --cacert /srv/est/data/dev-pki/trust-anchor.pem -o cacerts.p7.b64 {Est}/cacerts"));
            Assert.That(lines, Has.Some.EqualTo("  openssl verify -CAfile /srv/est/data/dev-pki/trust-anchor.pem -untrusted cacerts.pem demo-op.pem"));
        }
    }

    [Test]
    public void Render_DevPki_RenewsWithTheOperationalCertificate()
    {
        string[] lines = Lines(EnrollmentInstructions.Render(Base, Layout));

        Assert.That(lines, Has.Some.EqualTo(
            "  curl --fail-with-body --cacert /srv/est/data/dev-pki/trust-anchor.pem --cert demo-op.pem --key demo-op.key "
            + $"-H \"Content-Type: application/pkcs10\" --data-binary @demo-op.csr.b64 -o demo-op-renewed.p7.b64 {Est}/simplereenroll"));
    }

    [Test]
    public void Render_IndentedLines_AreAllOpensslOrCurlCommands()
    {
        string[] commands = [.. Lines(EnrollmentInstructions.Render(Base, Layout)).Where(line => line.StartsWith("  ", StringComparison.Ordinal))];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(commands, Has.Length.EqualTo(8));
            Assert.That(commands, Is.All.Match("^  (openssl|curl) "));
        }
    }

    [TestCase("http://127.0.0.1:8080")]
    [TestCase("http://127.0.0.1:8080/")]
    public void Render_RevocationAddress_ChecksTheNewCertificateWithOpensslOcspBeforeTheRenewal(string revocation)
    {
        string[] commands = [.. Lines(EnrollmentInstructions.Render(Base, Layout, revocation)).Where(line => line.StartsWith("  ", StringComparison.Ordinal))];
        const string Ocsp = "  openssl ocsp -issuer /srv/est/data/dev-pki/issuing-ca.pem -CAfile /srv/est/data/dev-pki/trust-anchor.pem -cert demo-op.pem -url http://127.0.0.1:8080/ocsp";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(commands, Has.Length.EqualTo(9));
            Assert.That(commands, Is.All.Match("^  (openssl|curl) "));
            Assert.That(commands[^2], Is.EqualTo(Ocsp), "after the verify, before the renewal");
            Assert.That(commands[^3], Does.StartWith("  openssl verify "));
            Assert.That(commands[^1], Does.EndWith("/simplereenroll"), "the renewal stays last");
        }
    }

    [Test]
    public void Render_NoRevocationAddress_HasNoOcspLine()
    {
        string text = EnrollmentInstructions.Render(Base, Layout);

        Assert.That(text, Does.Not.Contain("openssl ocsp"));
    }

    [Test]
    public void Render_DevPkiBelowWorkingDirectory_ShowsRelativePaths()
    {
        var layout = new DevPkiLayout(Path.Combine(Environment.CurrentDirectory, "data", "dev-pki"));

        string text = EnrollmentInstructions.Render(Base, layout);

        Assert.That(text, Does.Contain("--cacert data/dev-pki/trust-anchor.pem --cert data/dev-pki/device.pem --key data/dev-pki/device.key "));
    }

    [Test]
    public void Render_PathWithSpaceAndQuote_IsShellQuoted()
    {
        var layout = new DevPkiLayout("/srv/it's est/dev-pki");

        string text = EnrollmentInstructions.Render(Base, layout);

        Assert.That(text, Does.Contain("--cacert '/srv/it'\\''s est/dev-pki/trust-anchor.pem' "));
    }

    [TestCase("https://+:9443")]
    [TestCase("https://*:9443")]
    [TestCase("https://0.0.0.0:9443")]
    [TestCase("https://[::]:9443")]
    [TestCase("https://localhost:9443")]
    public void StartAsync_DevPkiOnListenAddress_PrintsClientReachableAddress(string url)
    {
        using var console = new ConsoleCapture();
        using var factory = new EstHostFactory(new Dictionary<string, string?> { ["urls"] = url });

        factory.Started();

        Assert.That(console.Out, Does.Contain("EstServer is ready: https://localhost:9443/.well-known/est" + Environment.NewLine));
    }

    [Test]
    public void StartAsync_OnlyHttpAddress_PrintsNothing()
    {
        using var console = new ConsoleCapture();
        using var factory = new EstHostFactory(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:9080" });

        factory.Started();

        Assert.That(console.Out, Does.Not.Contain("EstServer is ready"));
    }

    [Test]
    public void StartAsync_DevPkiCreatedNow_WarnsOnceNotForProduction()
    {
        using var factory = new EstHostFactory();

        factory.Started();

        Assert.That(
            factory.Logs.Entries.Where(entry => entry.EventId.Id == 1101).Select(entry => (entry.Level, entry.Message)),
            Is.EqualTo(new[] { (LogLevel.Warning, $"No CA configured: created a development PKI in {factory.DevPki.Directory}. Do not use it in production.") }));
    }

    [Test]
    public void StartAsync_DevPkiAlreadyThere_DoesNotWarnAgain()
    {
        using var first = new EstHostFactory();
        first.Started();
        using var second = new EstHostFactory(new Dictionary<string, string?> { ["Est:DataDir"] = first.DataDir });

        second.Started();

        Assert.That(second.Logs.Entries.Where(entry => entry.EventId.Id == 1101), Is.Empty);
    }

    private static string[] Lines(string text) => text.Split(Environment.NewLine);
}
