using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Tls;
using EstServer.TestSupport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace EstServer.Host.Tests.Tls;

/// <summary>Plays Kestrel's part: a connection whose TLS feature exposes a client certificate, or fails to.</summary>
[TestFixture]
public sealed class ClientCertificateReleaseTests
{
    [Test]
    public async Task Middleware_ConnectionEnds_DisposesTheCertificateTheRequestsRead()
    {
        X509Certificate2 certificate = TestCertificates.CreateRootCa("CN=Device");
        var connection = new DefaultConnectionContext();
        connection.Features.Set<ITlsConnectionFeature>(new Tls(() => certificate));
        bool handleOpenDuringConnection = false;

        await ClientCertificateRelease.Middleware(_ =>
        {
            handleOpenDuringConnection = certificate.Handle != IntPtr.Zero;
            return Task.CompletedTask;
        })(connection);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(handleOpenDuringConnection, Is.True, "requests on the connection can still use it");
            Assert.That(certificate.Handle, Is.EqualTo(IntPtr.Zero), "released when the connection ends");
        }
    }

    [Test]
    public void Middleware_ConnectionFails_StillDisposesAndLetsTheFailureThrough()
    {
        X509Certificate2 certificate = TestCertificates.CreateRootCa("CN=Device");
        var connection = new DefaultConnectionContext();
        connection.Features.Set<ITlsConnectionFeature>(new Tls(() => certificate));

        Assert.ThrowsAsync<IOException>(() => ClientCertificateRelease.Middleware(_ => throw new IOException("reset"))(connection));
        Assert.That(certificate.Handle, Is.EqualTo(IntPtr.Zero));
    }

    [Test]
    public void Middleware_CertificateNeverReadAndStreamClosed_EndsQuietly()
    {
        var connection = new DefaultConnectionContext();
        connection.Features.Set<ITlsConnectionFeature>(new Tls(() => throw new ObjectDisposedException("SslStream")));

        Assert.DoesNotThrowAsync(() => ClientCertificateRelease.Middleware(_ => Task.CompletedTask)(connection));
    }

    [Test]
    public void Middleware_PlainConnectionWithoutTls_EndsQuietly()
    {
        Assert.DoesNotThrowAsync(() => ClientCertificateRelease.Middleware(_ => Task.CompletedTask)(new DefaultConnectionContext()));
    }

    private sealed class Tls(Func<X509Certificate2?> certificate) : ITlsConnectionFeature
    {
        public X509Certificate2? ClientCertificate
        {
            get => certificate();
            set => throw new NotSupportedException();
        }

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
    }
}
