using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Issuance;
using EstServer.Core.Trust;

namespace EstServer.TestSupport;

/// <summary>
/// A root CA and an issuing CA below it, as an EST server is deployed: the issuing CA signs, the root
/// is what clients anchor to.
/// </summary>
public sealed class TestCaHierarchy : IDisposable
{
    private TestCaHierarchy(X509Certificate2 root, X509Certificate2 issuing)
    {
        Root = root;
        IssuingCertificate = issuing;
        Ca = new IssuingCa([issuing.RawData, root.RawData]);
        Signer = issuing.GetECDsaPrivateKey() is { } ec
            ? new EcdsaCertificateSigner(ec)
            : new RsaCertificateSigner(issuing.GetRSAPrivateKey() ?? throw new InvalidOperationException("issuing CA has no key"));
        Issuer = new CertificateIssuer(Ca, Signer);
        Trust = new IssuedCertificateTrust(Ca.ChainDer);
    }

    public X509Certificate2 Root { get; }

    /// <summary>The issuing CA certificate, with its private key.</summary>
    public X509Certificate2 IssuingCertificate { get; }

    public IssuingCa Ca { get; }

    public ICertificateSigner Signer { get; }

    public CertificateIssuer Issuer { get; }

    public IssuedCertificateTrust Trust { get; }

    public static TestCaHierarchy Create(
        TestKeyType key = TestKeyType.EcP256,
        string name = "Test",
        DateTimeOffset? issuingNotBefore = null,
        DateTimeOffset? issuingNotAfter = null,
        DateTimeOffset? rootNotBefore = null,
        DateTimeOffset? rootNotAfter = null)
    {
        using AsymmetricAlgorithm rootKey = TestCertificates.NewKey(key);
        X509Certificate2 root = TestCertificates.CreateCa($"CN={name} Root CA, O=EstServer Tests", rootKey, notBefore: rootNotBefore, notAfter: rootNotAfter);
        using AsymmetricAlgorithm issuingKey = TestCertificates.NewKey(key);
        X509Certificate2 issuing = TestCertificates.CreateCa(
            $"CN={name} Issuing CA, O=EstServer Tests", issuingKey, root, issuingNotBefore, issuingNotAfter ?? DateTimeOffset.UtcNow.AddYears(2));
        return new TestCaHierarchy(root, issuing);
    }

    /// <summary>Whether <paramref name="certificate"/> chains to this hierarchy's root at the given time.</summary>
    public bool Certifies(X509Certificate2 certificate, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        chain.ChainPolicy.ExtraStore.Add(IssuingCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        return chain.Build(certificate);
    }

    /// <summary>Writes root and issuing CA as PEM files for openssl verify.</summary>
    public (string Root, string Issuing) WritePem(TempDirectory directory) =>
        (directory.Write("root.pem", TestCertificates.Pem(Root)), directory.Write("issuing.pem", TestCertificates.Pem(IssuingCertificate)));

    public void Dispose()
    {
        (Signer as IDisposable)?.Dispose();
        IssuingCertificate.Dispose();
        Root.Dispose();
    }
}
