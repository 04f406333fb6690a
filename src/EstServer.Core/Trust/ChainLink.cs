namespace EstServer.Core.Trust;

/// <summary>One certificate of a client's path: its SHA-1 thumbprint (as X509Certificate2 reports it) and validity period in UTC.</summary>
public readonly record struct ChainLink(string Thumbprint, DateTime NotBeforeUtc, DateTime NotAfterUtc);
