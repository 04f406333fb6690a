using System.Security.Cryptography;
using EstServer.Core.Issuance;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace EstServer.Core.Revocation;

/// <summary>
/// The delegated OCSP responder (RFC 6960 §4.2.2.2): a certificate issued directly by the CA with the
/// id-kp-OCSPSigning key purpose, and its private key. The CA key stays where it is (possibly not on
/// this host at all); the responder key signs every OCSP answer, so it is an in-memory platform key.
/// </summary>
public sealed class OcspSigningIdentity : IDisposable
{
    private const string OcspSigningOid = "1.3.6.1.5.5.7.3.9";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly ICertificateSigner _signer;

    private OcspSigningIdentity(X509Certificate certificate, ICertificateSigner signer)
    {
        Certificate = certificate;
        CertificateDer = certificate.GetEncoded();
        _signer = signer;
        SignatureFactory = new SignerSignatureFactory(signer);
    }

    public X509Certificate Certificate { get; }

    public byte[] CertificateDer { get; }

    /// <summary>The signatureAlgorithm of the responses it signs.</summary>
    public AlgorithmIdentifier SignatureAlgorithm => _signer.SignatureAlgorithm;

    /// <summary>What BouncyCastle's response generator signs with.</summary>
    internal ISignatureFactory SignatureFactory { get; }

    public byte[] Sign(ReadOnlySpan<byte> data) => _signer.Sign(data);

    /// <summary>
    /// A fresh P-256 responder key, never written anywhere, certified by the CA for <paramref name="validity"/>.
    /// ECDSA P-256 because every OCSP answer is signed and it signs several times faster than RSA-2048.
    /// </summary>
    public static OcspSigningIdentity Issue(CertificateIssuer issuer, TimeProvider time, TimeSpan validity) =>
        Issue(issuer, time, validity, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>As <see cref="Issue(CertificateIssuer, TimeProvider, TimeSpan)"/> with the caller's key, which the identity then owns (the development PKI writes it to a file first).</summary>
    public static OcspSigningIdentity Issue(CertificateIssuer issuer, TimeProvider time, TimeSpan validity, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validity, TimeSpan.Zero);
        try
        {
            DateTimeOffset now = time.GetUtcNow();
            string caName = issuer.Ca.Subject.GetValueList(X509Name.CN).FirstOrDefault() ?? issuer.Ca.Subject.ToString();
            var template = new CertificateTemplate(
                new X509Name([X509Name.CN], [caName + " OCSP Responder"]),
                SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo()),
                SubjectAltNames: null,
                // A few minutes back, so a relying party whose clock lags accepts it at once.
                NotBefore: (now - ClockSkew).UtcDateTime,
                NotAfter: (now + validity).UtcDateTime,
                KeyUsage: Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature,
                ExtendedKeyUsages: [OcspSigningOid])
            {
                // RFC 6960 §4.2.2.2.1: id-pkix-ocsp-nocheck (NULL) tells clients not to check the
                // responder's own revocation, which would need this very responder.
                CopiedExtensions = [(OcspObjectIdentifiers.PkixOcspNocheck.Id, new X509Extension(false, new DerOctetString(DerNull.Instance)))],
            };
            IssuedCertificate issued = issuer.Issue(template);
            return new OcspSigningIdentity(new X509Certificate(issued.Der), new EcdsaCertificateSigner(key));
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>An operator's responder certificate and key (e.g. read from PEM); checked against the CA.</summary>
    /// <exception cref="ArgumentException">The certificate or key does not fit, with a one-line reason.</exception>
    public static OcspSigningIdentity Load(byte[] certificateDer, AsymmetricKeyParameter privateKey, IssuingCa ca, TimeProvider? time = null)
    {
        X509Certificate certificate;
        try
        {
            certificate = new X509Certificate(certificateDer);
        }
        catch (Exception exception) when (exception is ArgumentException or IOException or Org.BouncyCastle.Security.Certificates.CertificateException or InvalidCastException)
        {
            throw new ArgumentException($"the OCSP responder certificate cannot be read: {exception.Message}", nameof(certificateDer), exception);
        }

        Check(certificate, ca, time ?? TimeProvider.System);
        if (!privateKey.IsPrivate)
        {
            throw new ArgumentException("the OCSP responder key is a public key", nameof(privateKey));
        }

        ICertificateSigner signer = PlatformSigner(privateKey);
        byte[] probe = "EstServer OCSP responder key check"u8.ToArray();
        if (!Verifies(certificate, signer, probe, signer.Sign(probe)))
        {
            (signer as IDisposable)?.Dispose();
            throw new ArgumentException($"the OCSP responder key does not belong to the certificate {certificate.SubjectDN}", nameof(privateKey));
        }

        return new OcspSigningIdentity(certificate, signer);
    }

    public void Dispose() => (_signer as IDisposable)?.Dispose();

    private static void Check(X509Certificate certificate, IssuingCa ca, TimeProvider time)
    {
        // RFC 6960 §4.2.2.2: the delegate is issued directly by the CA that issued the certificates.
        if (!certificate.IssuerDN.Equivalent(ca.Subject, inOrder: true) || !IsSignedBy(certificate, ca.Certificate))
        {
            throw new ArgumentException($"the OCSP responder certificate {certificate.SubjectDN} is not issued by the CA {ca.Subject}", nameof(certificate));
        }

        if (certificate.GetExtendedKeyUsage()?.Any(oid => oid.Id == OcspSigningOid) != true)
        {
            throw new ArgumentException($"the OCSP responder certificate {certificate.SubjectDN} lacks the id-kp-OCSPSigning extended key usage", nameof(certificate));
        }

        if (certificate.GetKeyUsage() is { } usage && !usage[0])
        {
            throw new ArgumentException($"the OCSP responder certificate {certificate.SubjectDN} may not sign (keyUsage lacks digitalSignature)", nameof(certificate));
        }

        DateTime now = time.GetUtcNow().UtcDateTime;
        if (certificate.NotBefore > now + ClockSkew || certificate.NotAfter <= now)
        {
            throw new ArgumentException($"the OCSP responder certificate {certificate.SubjectDN} is not valid now (valid {certificate.NotBefore:u} to {certificate.NotAfter:u})", nameof(certificate));
        }
    }

    private static ICertificateSigner PlatformSigner(AsymmetricKeyParameter privateKey)
    {
        // The platform (OpenSSL) signs several times faster than managed code, and OCSP signs per request.
        byte[] pkcs8 = PrivateKeyInfoFactory.CreatePrivateKeyInfo(privateKey).GetEncoded();
        try
        {
            if (privateKey is Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters)
            {
                ECDsa ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(pkcs8, out _);
                return new EcdsaCertificateSigner(ec);
            }

            if (privateKey is Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters)
            {
                RSA rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                return new RsaCertificateSigner(rsa);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        throw new ArgumentException("the OCSP responder key must be an EC or RSA key", nameof(privateKey));
    }

    private static bool Verifies(X509Certificate certificate, ICertificateSigner signer, byte[] data, byte[] signature)
    {
        try
        {
            var verifier = new Org.BouncyCastle.Crypto.Operators.Asn1VerifierFactory(signer.SignatureAlgorithm, certificate.GetPublicKey());
            IStreamCalculator<IVerifier> calculator = verifier.CreateCalculator();
            calculator.Stream.Write(data);
            calculator.Stream.Dispose();
            return calculator.GetResult().IsVerified(signature);
        }
        catch (Exception exception) when (exception is CryptoException or Org.BouncyCastle.Security.GeneralSecurityException or ArgumentException or InvalidCastException)
        {
            return false;
        }
    }

    private static bool IsSignedBy(X509Certificate child, X509Certificate parent)
    {
        try
        {
            child.Verify(parent.GetPublicKey());
            return true;
        }
        catch (Exception exception) when (exception is Org.BouncyCastle.Security.Certificates.CertificateException or CryptoException or Org.BouncyCastle.Security.SignatureException or Org.BouncyCastle.Security.InvalidKeyException or ArgumentException)
        {
            return false;
        }
    }
}
