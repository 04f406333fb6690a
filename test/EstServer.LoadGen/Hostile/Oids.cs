namespace EstServer.LoadGen.Hostile;

/// <summary>Object identifiers the generator writes.</summary>
public static class Oids
{
    public const string CommonName = "2.5.4.3";
    public const string Organization = "2.5.4.10";
    public const string OrganizationalUnit = "2.5.4.11";
    public const string SerialNumber = "2.5.4.5";
    public const string Country = "2.5.4.6";
    public const string ExtensionRequest = "1.2.840.113549.1.9.14";
    public const string ChallengePassword = "1.2.840.113549.1.9.7";
    public const string SubjectAltName = "2.5.29.17";
    public const string KeyUsage = "2.5.29.15";
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string BasicConstraints = "2.5.29.19";
    public const string NameConstraints = "2.5.29.30";
    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string Ed25519 = "1.3.101.112";
    public const string Ed448 = "1.3.101.113";
    public const string X25519 = "1.3.101.110";
    public const string Dsa = "1.2.840.10040.4.1";
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha1WithRsa = "1.2.840.113549.1.1.5";
    public const string Md5WithRsa = "1.2.840.113549.1.1.4";
    public const string RsassaPss = "1.2.840.113549.1.1.10";
    public const string EcdsaWithSha1 = "1.2.840.10045.4.1";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    public const string Sha1 = "1.3.14.3.2.26";
    public const string Mgf1 = "1.2.840.113549.1.1.8";
    public const string P256 = "1.2.840.10045.3.1.7";
    public const string P384 = "1.3.132.0.34";
    public const string P521 = "1.3.132.0.35";
    public const string Secp256k1 = "1.3.132.0.10";
    public const string BrainpoolP256r1 = "1.3.36.3.3.2.8.1.1.7";
}
