using System.Security.Cryptography.X509Certificates;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace EstServer.Host.Tests.Support;

/// <summary>What the revocation route tests share: the dev issuing CA's key id, enrolling through the host, and reading CRLs and CDPs with BouncyCastle.</summary>
internal static class RevocationHost
{
    public const string PublicBase = "http://pki.example.test";

    /// <summary>A host on the dev PKI, signing in process (so a CRL publisher runs), naming <see cref="PublicBase"/> in what it issues.</summary>
    public static EstHostFactory Create(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null) => new(
        new Dictionary<string, string?> { ["Est:Revocation:PublicBaseUrl"] = PublicBase },
        services,
        profiles: [new TestProfile { Name = "revocation", Default = true }]);

    /// <summary>The dev issuing CA's subject key identifier in lowercase hex, read with .NET, not the server's code.</summary>
    public static string IssuingCaKeyId(EstHostFactory factory)
    {
        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificateFromFile(factory.Started().DevPki.IssuingCaCertificate);
        X509SubjectKeyIdentifierExtension ski = issuing.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        return ski.SubjectKeyIdentifier!.ToLowerInvariant();
    }

    public static byte[] IssuingCaDer(EstHostFactory factory)
    {
        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificateFromFile(factory.Started().DevPki.IssuingCaCertificate);
        return issuing.RawData;
    }

    /// <summary>simpleenroll with the demo device identity; the certificate issued.</summary>
    public static async Task<X509Certificate2> EnrollAsync(EstHostFactory factory, string subject)
    {
        using X509Certificate2 device = factory.LoadDeviceIdentity();
        using HttpClient client = factory.CreateClientPresenting(device);
        TestCsr csr = TestCsr.Create(subject);
        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(EstWire.Root + "/simpleenroll"), EstWire.Body(csr.Base64));
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await EstWire.ReadIssuedAsync(response);
    }

    /// <summary>The store's spelling of a serial: lowercase hex without leading zeros.</summary>
    public static string Serial(X509Certificate2 certificate) => new Org.BouncyCastle.Math.BigInteger(certificate.SerialNumber, 16).ToString(16);

    public static X509Crl ReadCrl(byte[] der) => new X509CrlParser().ReadCrl(der);

    public static long CrlNumber(X509Crl crl) =>
        DerInteger.GetInstance(X509ExtensionUtilities.FromExtensionValue(crl.GetExtensionValue(X509Extensions.CrlNumber))).LongValueExact;

    /// <summary>The URIs of the certificate's CRL distribution points (RFC 5280 §4.2.1.13).</summary>
    public static IReadOnlyList<string> CrlDistributionPoints(X509Certificate2 certificate)
    {
        var bc = new Org.BouncyCastle.X509.X509Certificate(certificate.RawData);
        Asn1OctetString? value = bc.GetExtensionValue(X509Extensions.CrlDistributionPoints);
        if (value is null)
        {
            return [];
        }

        return CrlDistPoint.GetInstance(X509ExtensionUtilities.FromExtensionValue(value)).GetDistributionPoints()
            .Select(point => point.DistributionPointName)
            .Where(name => name?.Type == DistributionPointName.FullName)
            .SelectMany(name => GeneralNames.GetInstance(name.Name).GetNames())
            .Where(name => name.TagNo == GeneralName.UniformResourceIdentifier)
            .Select(name => DerIA5String.GetInstance(name.Name).GetString())
            .ToArray();
    }

    /// <summary>Asks until <paramref name="done"/> holds or <paramref name="timeout"/> passes; the last answer.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> ask, Func<T, bool> done, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            T answer = await ask();
            if (done(answer) || DateTime.UtcNow >= deadline)
            {
                return answer;
            }

            await Task.Delay(100);
        }
    }
}
