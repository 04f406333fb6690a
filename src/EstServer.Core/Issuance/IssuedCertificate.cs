namespace EstServer.Core.Issuance;

/// <summary>A freshly signed certificate.</summary>
public sealed record IssuedCertificate(byte[] Der, string SerialHex, string Subject, DateTime NotAfter);
