using System.Security.Cryptography.X509Certificates;

namespace EstServer.LoadGen;

/// <summary>
/// Validates the server certificate against the trust anchor once, then recognises it by its bytes:
/// the generator should spend its CPU on load, not on re-validating the same certificate.
/// </summary>
public sealed class ServerCertificateCheck(X509Certificate2 trustAnchor)
{
    private byte[]? _trusted;

    public bool IsTrusted(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        byte[] raw = certificate.GetRawCertData();
        if (Volatile.Read(ref _trusted) is { } known && known.AsSpan().SequenceEqual(raw))
        {
            return true;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(raw);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trustAnchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(leaf))
        {
            return false;
        }

        Volatile.Write(ref _trusted, raw);
        return true;
    }
}
