namespace EstServer.Core.Lifecycle;

/// <summary>
/// RFC 5280 §5.3.1 CRLReason, with its wire values. certificateHold (6) and removeFromCRL (8) are left
/// out on purpose: a revocation here is final, so a CRL entry never disappears again.
/// </summary>
public enum RevocationReason
{
    Unspecified = 0,
    KeyCompromise = 1,
    CaCompromise = 2,
    AffiliationChanged = 3,
    Superseded = 4,
    CessationOfOperation = 5,
    PrivilegeWithdrawn = 9,
    AaCompromise = 10,
}
