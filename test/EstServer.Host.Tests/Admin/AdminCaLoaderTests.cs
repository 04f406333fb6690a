using EstServer.Host.Configuration;
using EstServer.Host.DevPki;
using EstServer.Host.Startup;
using EstServer.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Tests.Admin;

/// <summary>
/// The admin CA is read when the server is built and must stand apart from device trust: one that is
/// also a device anchor or the issuing CA stops start-up with one line naming Est:Admin:CaPath.
/// </summary>
[TestFixture]
public sealed class AdminCaLoaderTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [TestCase("manufacturer")]
    [TestCase("issuing")]
    public async Task Build_AdminCaIsAlsoTrustedForDevices_ThrowsConfigurationError(string which)
    {
        // A first start creates the development PKI whose CAs the second start is pointed at.
        await using (WebApplication first = EstServerApplication.Build([$"--Est:DataDir={_dir.Path}", "--urls=https://127.0.0.1:0"]))
        {
        }

        DevPkiLayout dev = DevPkiLayout.InDataDir(_dir.Path);
        string adminCa = which == "manufacturer" ? dev.ManufacturerCaCertificate : dev.TrustAnchor;

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(
            () => EstServerApplication.Build([$"--Est:DataDir={_dir.Path}", $"--Est:Admin:CaPath={adminCa}", "--urls=https://127.0.0.1:0"]));

        Assert.That(exception!.Message, Does.StartWith("Est:Admin:CaPath: ").And.EndWith("is also trusted for devices (a profile's trust anchors or the issuing CA); the admin CA must be separate"));
    }

    [Test]
    public void Build_AdminCaFileHoldsNoCertificate_ThrowsConfigurationError()
    {
        string garbage = _dir.Write("admin-ca.pem", "not a certificate\n");

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(
            () => EstServerApplication.Build([$"--Est:DataDir={_dir.Path}", $"--Est:Admin:CaPath={garbage}", "--urls=https://127.0.0.1:0"]));

        Assert.That(exception!.Message, Is.EqualTo($"Est:Admin:CaPath: {garbage} holds no PEM certificate"));
    }

    [Test]
    public void Validate_AdminCaPathMissing_ReportsIt()
    {
        string missing = _dir.Combine("nope.pem");

        ValidateOptionsResult result = new EstOptionsValidator().Validate(null, new EstOptions { Admin = new AdminOptions { CaPath = missing } });

        Assert.That(result.Failures, Is.EqualTo(new[] { $"Est:Admin:CaPath: {missing} does not exist (the admin CA certificate PEM)" }));
    }
}
