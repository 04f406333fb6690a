using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.Host.Tests.Support;

/// <summary>
/// The client certificates a test wants the server to see, by a key the test client sends in a header;
/// stands in for the TLS handshake that TestServer does not have.
/// </summary>
internal sealed class PresentedCertificates
{
    public const string Header = "X-Test-Client-Certificate";

    private readonly ConcurrentDictionary<string, X509Certificate2> _byKey = new(StringComparer.Ordinal);

    public string Register(X509Certificate2 certificate)
    {
        string key = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
        _byKey[key] = certificate;
        return key;
    }

    public X509Certificate2 Get(string key) =>
        _byKey.TryGetValue(key, out X509Certificate2? certificate)
            ? certificate
            : throw new InvalidOperationException($"no test client certificate registered as {key}");
}
