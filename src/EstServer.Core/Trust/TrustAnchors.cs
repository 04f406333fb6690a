using System.Security.Cryptography.X509Certificates;

namespace EstServer.Core.Trust;

/// <summary>
/// A set of CA certificates a client certificate may chain to: self-signed ones are trust anchors,
/// the others intermediates that help build the path (for devices that do not send their own).
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

    /// <summary>Thumbprints of the roots, to recognise the end of a path built against a wider store.</summary>
    public IReadOnlySet<string> RootThumbprints => _rootThumbprints ??= Roots.Select(root => root.Thumbprint).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private HashSet<string>? _rootThumbprints;

    /// <summary>All certificates of several anchor sets: the store a TLS handshake builds client paths against.</summary>
    public static TrustAnchors Union(string description, IEnumerable<TrustAnchors> sets)
    {
        TrustAnchors[] all = sets.ToArray();
        return new(description, all.SelectMany(set => set.Roots.Concat(set.Intermediates)).DistinctBy(certificate => certificate.Thumbprint))
        {
            Files = all.SelectMany(set => set.Files).Distinct(StringComparer.Ordinal).ToArray(),
        };
    }

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

        return new TrustAnchors(description, certificates) { Files = paths.Select(Path.GetFullPath).ToArray() };
    }

    /// <summary>The PEM files these anchors were read from (watched for changes with the profiles).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
}
