namespace EstServer.Core.Issuance;

/// <summary>
/// Marks a template as a CA certificate (RFC 5280 §4.2.1.9: cA TRUE); a null path length leaves the
/// depth of the hierarchy below it unconstrained.
/// </summary>
public sealed record CaConstraints(int? PathLength);
