using System.Security.Cryptography.X509Certificates;

namespace EstServer.Core.Trust;

/// <summary>
/// What a built certificate path says about a client certificate, kept after the X509Chain is gone:
/// whether it reached a configured anchor, and each certificate's identity and validity period (leaf
/// first). Time is left out of "trusted" on purpose: the operation decides (re-enrollment has a grace
/// period), using the server's clock.
/// </summary>
public sealed class ClientChain
{
    private static readonly X509ChainStatusFlags TimeFlags = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested;

    private ClientChain(bool trusted, IReadOnlyList<ChainLink> links)
    {
        Trusted = trusted;
        Links = links;
    }

    public bool Trusted { get; }

    public IReadOnlyList<ChainLink> Links { get; }

    public ChainLink Root => Links[^1];

    /// <summary>Snapshots a chain built with a custom root store; call before the chain is disposed.</summary>
    public static ClientChain From(X509Chain chain)
    {
        X509ChainStatusFlags problems = X509ChainStatusFlags.NoError;
        foreach (X509ChainStatus status in chain.ChainStatus)
        {
            problems |= status.Status;
        }

        var links = new ChainLink[chain.ChainElements.Count];
        for (int i = 0; i < links.Length; i++)
        {
            X509Certificate2 certificate = chain.ChainElements[i].Certificate;
            links[i] = new ChainLink(certificate.Thumbprint, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
        }

        // A custom root store reports a path to a configured anchor as built; anything else is untrusted.
        bool trusted = links.Length > 0 && (problems & ~TimeFlags) == X509ChainStatusFlags.NoError;
        return new ClientChain(trusted, links);
    }

    /// <summary>Builds a chain against the given anchors (time ignored, see the class comment).</summary>
    public static ClientChain Build(X509Certificate2 certificate, TrustAnchors anchors)
    {
        using var chain = new X509Chain { ChainPolicy = Policy(anchors) };
        try
        {
            chain.Build(certificate);
            return From(chain);
        }
        finally
        {
            // Disposing the chain leaves its elements' certificates (copies, not the argument) to the
            // finalizer; under enrollment load that is native memory held for a GC cycle.
            foreach (X509ChainElement element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }

    /// <summary>
    /// Only the configured anchors count (never the OS store), nothing is downloaded, revocation is not
    /// checked, and validity periods are checked by the operation, not here.
    /// </summary>
    public static X509ChainPolicy Policy(TrustAnchors anchors)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
            VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested,
        };
        policy.CustomTrustStore.AddRange(anchors.Roots);
        policy.ExtraStore.AddRange(anchors.Intermediates);
        return policy;
    }
}
