using System.Security.Cryptography.X509Certificates;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>What every certificate the server issues must be: a client-auth end entity under the dev PKI, for the CSR's key and name.</summary>
public static class IssuedCertificateAssert
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public static void ChainsToTrustAnchorViaIssuingCa(X509Certificate2 issued, X509Certificate2 issuingCa, X509Certificate2 trustAnchor)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trustAnchor);
        chain.ChainPolicy.ExtraStore.Add(issuingCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        bool built = chain.Build(issued);
        string status = string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
        Assert.That(built, Is.True, $"chain to trust-anchor.pem: {status}");
        Assert.That(chain.ChainElements.Select(e => e.Certificate.Thumbprint),
            Is.EqualTo(new[] { issued.Thumbprint, issuingCa.Thumbprint, trustAnchor.Thumbprint }),
            "issued -> issuing CA -> trust anchor");
    }

    public static void IsClientAuthEndEntity(X509Certificate2 issued)
    {
        X509BasicConstraintsExtension? basic = issued.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();
        X509EnhancedKeyUsageExtension? eku = issued.Extensions.OfType<X509EnhancedKeyUsageExtension>().SingleOrDefault();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(basic, Is.Not.Null, "basicConstraints present");
            Assert.That(basic?.CertificateAuthority, Is.False, "CA:FALSE");
            Assert.That(eku?.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value), Does.Contain(ClientAuthOid), "clientAuth");
        }
    }

    public static void CertifiesCsr(X509Certificate2 issued, TestCsr csr)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(issued.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(csr.SubjectPublicKeyInfo), "the CSR's public key");
            Assert.That(issued.SubjectName.Name, Is.EqualTo(csr.SubjectName.Name), "the CSR's subject");
        }
    }
}
