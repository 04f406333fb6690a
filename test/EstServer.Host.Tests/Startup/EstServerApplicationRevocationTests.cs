using System.Net;
using System.Net.Sockets;
using EstServer.Host.Configuration;
using EstServer.Host.Startup;
using EstServer.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EstServer.Host.Tests.Startup;

/// <summary>
/// The plain-HTTP CRL/OCSP listener in the real application: added to the listen addresses once, and an
/// address already taken ends start-up as a configuration problem naming the setting it came from.
/// </summary>
[TestFixture]
public sealed class EstServerApplicationRevocationTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public async Task RunAsync_RevocationHttpAddressInUse_ThrowsConfigurationErrorNamingEstRevocationHttpUrl()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using WebApplication app = EstServerApplication.Build(
            [$"--Est:DataDir={_dir.Path}", $"--Est:Revocation:HttpUrl=http://127.0.0.1:{port}", "--urls=https://127.0.0.1:0"]);

        EstConfigurationException? exception = Assert.ThrowsAsync<EstConfigurationException>(() => EstServerApplication.RunAsync(app));

        Assert.That(exception!.Message, Is.EqualTo($"Est:Revocation:HttpUrl http://127.0.0.1:{port} is already in use (address in use)"));
    }

    [Test]
    public async Task Build_RevocationHttpUrlNotConfigured_ListenSettingsNameTheDefault()
    {
        // What "address in use" would say for the default listener, without taking port 8080 from anyone.
        await using WebApplication app = EstServerApplication.Build([$"--Est:DataDir={_dir.Path}", "--urls=https://127.0.0.1:0"]);

        ListenSettings settings = app.Services.GetRequiredService<ListenSettings>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Http, Is.EqualTo("Est:Revocation:HttpUrl http://localhost:8080 (the default)"));
            Assert.That(settings.Https, Is.EqualTo("urls https://127.0.0.1:0"));
        }
    }

    [Test]
    public async Task RunAsync_HttpsAddressInUse_ThrowsConfigurationErrorNamingUrls()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using WebApplication app = EstServerApplication.Build(
            [$"--Est:DataDir={_dir.Path}", "--Est:Revocation:HttpUrl=http://127.0.0.1:0", $"--urls=https://127.0.0.1:{port}"]);

        EstConfigurationException? exception = Assert.ThrowsAsync<EstConfigurationException>(() => EstServerApplication.RunAsync(app));

        Assert.That(exception!.Message, Is.EqualTo($"urls https://127.0.0.1:{port} is already in use (address in use)"));
    }

    [Test]
    public async Task Build_RevocationHttpUrlAlreadyInUrls_ListsItOnce()
    {
        await using WebApplication app = EstServerApplication.Build(
            [$"--Est:DataDir={_dir.Path}", "--urls=https://127.0.0.1:9443;http://127.0.0.1:9080", "--Est:Revocation:HttpUrl=http://127.0.0.1:9080"]);

        Assert.That(app.Configuration["urls"], Is.EqualTo("https://127.0.0.1:9443;http://127.0.0.1:9080"));
    }

    [Test]
    public async Task Build_RevocationHttpUrlConfigured_AddsItAfterTheHttpsAddress()
    {
        await using WebApplication app = EstServerApplication.Build(
            [$"--Est:DataDir={_dir.Path}", "--urls=https://127.0.0.1:9443", "--Est:Revocation:HttpUrl= http://127.0.0.1:9080 "]);

        Assert.That(app.Configuration["urls"], Is.EqualTo("https://127.0.0.1:9443;http://127.0.0.1:9080"));
    }

    [Test]
    public async Task Build_KestrelEndpointsConfigured_AddsNoListenAddress()
    {
        await using WebApplication app = EstServerApplication.Build(
            [$"--Est:DataDir={_dir.Path}", "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:9443"]);

        Assert.That(app.Configuration["urls"], Is.Null.Or.Empty, "an operator who lists Kestrel:Endpoints lists the HTTP listener there too");
    }
}
