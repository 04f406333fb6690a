using System.Net;
using System.Net.Sockets;
using EstServer.Host.Cli;
using EstServer.Host.Startup;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace EstServer.Host.Tests.Cli;

/// <summary>
/// estserver probe [URL]: the container health check. Exit 0 when the URL answers 2xx, 1 with the URL
/// and the reason otherwise; it talks to its own server over loopback, so the server certificate is not checked.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ProbeCommandTests
{
    private TempDirectory _dir = null!;
    private ConsoleCapture _console = null!;
    private WebApplication _server = null!;
    private string _baseUrl = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _dir = new TempDirectory();
        string profiles = TestProfile.WriteDirectory(_dir.Combine("profiles"), new TestProfile { Name = "probed", Default = true });
        // The real server on Kestrel with its development TLS certificate, which no one here trusts.
        _console = new ConsoleCapture();
        _server = EstServerApplication.Build([$"--Est:DataDir={_dir.Combine("data")}", $"--Est:ProfilesPath={profiles}", "--urls=https://127.0.0.1:0", "--Est:Revocation:HttpUrl=off"]);
        await _server.StartAsync();
        _baseUrl = _server.Urls.Single().TrimEnd('/');
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
        _console.Dispose();
        _dir.Dispose();
    }

    [TestCase("/healthz")]
    [TestCase("/readyz")]
    public async Task RunAsync_ServerAnswering200_Returns0WritingNothing(string path)
    {
        using var error = new StringWriter();

        int exitCode = await ProbeCommand.RunAsync([_baseUrl + path], error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, error.ToString());
            Assert.That(error.ToString(), Is.Empty);
        }
    }

    [Test]
    public async Task RunAsync_ServerAnsweringAnError_Returns1WithUrlAndStatus()
    {
        using var error = new StringWriter();
        string url = _baseUrl + "/.well-known/est/nosuchlabel/cacerts";

        int exitCode = await ProbeCommand.RunAsync([url], error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(error.ToString(), Is.EqualTo($"{url}: 404{Environment.NewLine}"));
        }
    }

    [Test]
    public async Task RunAsync_UnreachableUrl_Returns1WithUrlAndReason()
    {
        using var error = new StringWriter();
        string url = $"https://127.0.0.1:{ClosedPort()}/healthz";

        int exitCode = await ProbeCommand.RunAsync([url], error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(error.ToString(), Does.StartWith($"{url}: ").And.EndWith(Environment.NewLine));
            Assert.That(error.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        }
    }

    [Test]
    public async Task RunAsync_NotAnAbsoluteUrl_Returns1()
    {
        using var error = new StringWriter();

        int exitCode = await ProbeCommand.RunAsync(["localhost-healthz"], error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(error.ToString(), Does.StartWith("localhost-healthz: "));
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
