using System.Text;
using EstServer.Host.DevPki;
using EstServer.Host.Endpoints;
using EstServer.Host.Pki;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EstServer.Host.Startup;

/// <summary>
/// Once the server listens on the development PKI, prints a copy-pasteable enrollment of the demo
/// device with openssl and curl, so a new user sees the whole flow work in a minute.
/// </summary>
public sealed partial class EnrollmentInstructions(
    IHostApplicationLifetime lifetime,
    IServer server,
    PkiMaterial pki,
    ILogger<EnrollmentInstructions> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (pki.DevPki is { } dev)
        {
            if (pki.DevPkiCreated)
            {
                LogCreated(logger, dev.Directory);
            }

            lifetime.ApplicationStarted.Register(() => Print(dev));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print(DevPkiLayout dev)
    {
        string? address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (address is null)
        {
            return;
        }

        string? http = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        Console.Out.Write(Render(ClientAddress(address), dev, http is null ? null : ClientAddress(http)));
        Console.Out.Flush();
    }

    /// <summary>The text printed at start-up; every indented line is a shell command run from the server's working directory.</summary>
    /// <param name="revocationAddress">The plain-HTTP listener serving CRL and OCSP, when there is one.</param>
    public static string Render(string baseAddress, DevPkiLayout dev, string? revocationAddress = null)
    {
        string anchor = Shell(dev.TrustAnchor);
        string est = baseAddress.TrimEnd('/') + EstEndpoints.Root;
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"EstServer is ready: {est}");
        text.AppendLine($"Development PKI: {Shell(dev.Directory)} (clients trust {anchor}; demo device identity {Shell(dev.DeviceCertificate)})");
        text.AppendLine("Enroll the demo device with openssl and curl:");
        text.AppendLine();
        text.AppendLine($"  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj \"/CN={DevPkiGenerator.DemoDeviceName}\" -keyout demo-op.key -outform DER -out demo-op.csr");
        text.AppendLine("  openssl base64 -in demo-op.csr -out demo-op.csr.b64");
        text.AppendLine($"  curl --fail-with-body --cacert {anchor} --cert {Shell(dev.DeviceCertificate)} --key {Shell(dev.DeviceKey)} -H \"Content-Type: application/pkcs10\" --data-binary @demo-op.csr.b64 -o demo-op.p7.b64 {est}/simpleenroll");
        text.AppendLine("  openssl base64 -d -in demo-op.p7.b64 | openssl pkcs7 -inform DER -print_certs -out demo-op.pem");
        text.AppendLine($"  curl --fail-with-body --cacert {anchor} -o cacerts.p7.b64 {est}/cacerts");
        text.AppendLine("  openssl base64 -d -in cacerts.p7.b64 | openssl pkcs7 -inform DER -print_certs -out cacerts.pem");
        text.AppendLine($"  openssl verify -CAfile {anchor} -untrusted cacerts.pem demo-op.pem");
        if (revocationAddress is not null)
        {
            // Relying parties ask the OCSP responder over plain HTTP (RFC 6960 Appendix A); see the README's Lifecycle section to revoke.
            text.AppendLine($"  openssl ocsp -issuer {Shell(dev.IssuingCaCertificate)} -CAfile {anchor} -cert demo-op.pem -url {revocationAddress.TrimEnd('/')}{RevocationRoutes.OcspPath}");
        }

        text.AppendLine();
        text.AppendLine("Renew it later with the operational certificate itself (RFC 7030 simplereenroll):");
        text.AppendLine();
        text.AppendLine($"  curl --fail-with-body --cacert {anchor} --cert demo-op.pem --key demo-op.key -H \"Content-Type: application/pkcs10\" --data-binary @demo-op.csr.b64 -o demo-op-renewed.p7.b64 {est}/simplereenroll");
        text.AppendLine();
        return text.ToString();
    }

    /// <summary>A wildcard listen address is not something a client can connect to; name the loopback host.</summary>
    private static string ClientAddress(string address)
    {
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }

        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }

    private static string Shell(string path)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        string shown = relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
        return shown.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or '\\' or '&' or ';' or '(' or ')' or '|' or '<' or '>' or '*' or '?')
            ? "'" + shown.Replace("'", "'\\''", StringComparison.Ordinal) + "'"
            : shown;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "No CA configured: created a development PKI in {Directory}. Do not use it in production.")]
    private static partial void LogCreated(ILogger logger, string directory);
}
