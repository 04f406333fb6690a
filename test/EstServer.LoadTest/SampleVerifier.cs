using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.Core.Wire;

namespace EstServer.LoadTest;

/// <summary>Checks a sample of the issued certificates: each chains to the trust anchor through the CA chain from /cacerts.</summary>
public static class SampleVerifier
{
    public static string Verify(IReadOnlyCollection<byte[]> bodies, X509Certificate2 trustAnchor, IReadOnlyList<byte[]> caChain)
    {
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
