namespace EstServer.Core.Lifecycle;

/// <summary>
/// A signed CRL as stored, so every host serves the same bytes and keeps serving them while the
/// database is away. <see cref="CoversRevision"/> is the issuer's revocation revision it lists
/// everything up to; a newer revision means a revocation it lacks.
/// </summary>
public sealed record PublishedCrl(
    string IssuerKeyId,
    long Number,
    long CoversRevision,
    DateTimeOffset ThisUpdate,
    DateTimeOffset NextUpdate,
    byte[] Der);
