using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EstServer.TestSupport;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// The client certificates of a campaign: the hostile device's IDevID, the legitimate device's, one
/// from a CA nobody trusts, an expired one (under the real manufacturer CA when its key is at hand, so
/// only the date is wrong), and the operational certificate the hostile device enrolls for itself.
/// Everything made here is made at run time; nothing that expires is checked in.
/// </summary>
public sealed class CampaignIdentities : IDisposable
{
    private readonly List<X509Certificate2> _owned = [];
    private readonly Dictionary<CaseIdentity, SslStreamCertificateContext> _contexts = [];

    public CampaignIdentities(X509Certificate2 device, X509Certificate2 legit, X509Certificate2? manufacturerCaWithKey)
    {
        Device = device;
        Legit = legit;
        using X509Certificate2 untrustedRoot = TestCertificates.CreateRootCa("CN=Hostile Campaign Untrusted CA");
        Untrusted = Own(CreateLeaf(untrustedRoot, "CN=untrusted-device, SERIALNUMBER=UNTRUSTED-1", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)));
        X509Certificate2 expiredIssuer = manufacturerCaWithKey is { HasPrivateKey: true } ? manufacturerCaWithKey : untrustedRoot;
        ExpiredUnderRealCa = expiredIssuer == manufacturerCaWithKey;
        Expired = Own(CreateLeaf(expiredIssuer, "CN=expired-device, SERIALNUMBER=EXPIRED-1", DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddMinutes(-1)));
        _contexts[CaseIdentity.Device] = Context(device);
        _contexts[CaseIdentity.Untrusted] = Context(Untrusted);
        _contexts[CaseIdentity.Expired] = Context(Expired);
        LegitContext = Context(legit);
    }

    public X509Certificate2 Device { get; }

    public X509Certificate2 Legit { get; }

    public X509Certificate2 Untrusted { get; }

    public X509Certificate2 Expired { get; }

    /// <summary>True when the expired certificate chains to the real manufacturer CA (only its dates are wrong).</summary>
    public bool ExpiredUnderRealCa { get; }

    public X509Certificate2? Operational { get; private set; }

    public SslStreamCertificateContext LegitContext { get; }

    public void SetOperational(X509Certificate2 certificateWithKey)
    {
        Operational = Own(certificateWithKey);
        _contexts[CaseIdentity.Operational] = Context(certificateWithKey);
    }

    /// <summary>The TLS client certificate for an identity; null for <see cref="CaseIdentity.None"/>.</summary>
    public SslStreamCertificateContext? For(CaseIdentity identity) =>
        identity == CaseIdentity.None ? null
        : _contexts.TryGetValue(identity, out SslStreamCertificateContext? context) ? context
        : throw new InvalidOperationException($"no certificate for {identity}");

    public void Dispose()
    {
        foreach (X509Certificate2 certificate in _owned)
        {
            certificate.Dispose();
        }
    }

    private X509Certificate2 Own(X509Certificate2 certificate)
    {
        _owned.Add(certificate);
        return certificate;
    }

    private static SslStreamCertificateContext Context(X509Certificate2 certificate) => SslStreamCertificateContext.Create(certificate, null, offline: true);

    /// <summary>A device certificate under <paramref name="issuer"/>; a freshly made CA (the dev PKI starts 5 minutes in the past) bounds how far back it can start.</summary>
    private static X509Certificate2 CreateLeaf(X509Certificate2 issuer, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        DateTimeOffset start = notBefore < TestCertificates.ValidFrom(issuer) ? TestCertificates.ValidFrom(issuer) : notBefore;
        return TestCertificates.CreateClient(issuer, subject, start, notAfter <= start ? start.AddSeconds(1) : notAfter);
    }
}
