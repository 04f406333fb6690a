using System.Security.Cryptography.X509Certificates;

namespace EstServer.Core.Authentication;

/// <summary>
/// A set of CA certificates a client certificate may chain to: self-signed ones are trust anchors,
/// the others intermediates that help build the path (TLS gives the server only the leaf).
/// </summary>
public sealed class TrustAnchors
{
    public TrustAnchors(string description, IEnumerable<X509Certificate2> certificates)
    {
        Description = description;
        foreach (X509Certificate2 certificate in certificates)
        {
            if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
            {
                Roots.Add(certificate);
            }
            else
            {
                Intermediates.Add(certificate);
            }
        }
    }

    /// <summary>Where the anchors came from, for error messages and logs.</summary>
    public string Description { get; }

    public X509Certificate2Collection Roots { get; } = [];

    public X509Certificate2Collection Intermediates { get; } = [];

    public static TrustAnchors LoadPemFiles(string description, IEnumerable<string> paths)
    {
        var certificates = new X509Certificate2Collection();
        foreach (string path in paths)
        {
            int before = certificates.Count;
            certificates.ImportFromPemFile(path);
            if (certificates.Count == before)
            {
                throw new InvalidDataException($"{path} holds no PEM certificate");
            }
        }

        return new TrustAnchors(description, certificates);
    }
}
