using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.Core.Wire;

namespace EstServer.LoadGen;

/// <summary>
/// Checks a sample of the issued certificates: each must chain, through the CA chain the server
/// announced at /cacerts, to that chain's root (which may differ from the TLS trust anchor, e.g. an
/// RSA issuing CA behind the development TLS certificate), and be an end-entity certificate.
/// </summary>
public static class SampleVerifier
{
    public static string Verify(IReadOnlyCollection<byte[]> bodies, IReadOnlyList<byte[]> caChain)
    {
        using X509Certificate2 trustAnchor = X509CertificateLoader.LoadCertificate(caChain.First(der =>
        {
            using X509Certificate2 candidate = X509CertificateLoader.LoadCertificate(der);
            return candidate.SubjectName.RawData.AsSpan().SequenceEqual(candidate.IssuerName.RawData);
        }));
        int good = 0;
        foreach (byte[] body in bodies)
        {
            byte[] certificate = CertsOnlyPkcs7.Decode(Convert.FromBase64String(Encoding.ASCII.GetString(body)))[0];
            using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(certificate);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(trustAnchor);
            foreach (byte[] ca in caChain)
            {
                chain.ChainPolicy.ExtraStore.Add(X509CertificateLoader.LoadCertificate(ca));
            }

            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain.Build(leaf) && leaf.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: false })
            {
                good++;
            }
        }

        return $"{good}/{bodies.Count}";
    }
}
