using EstServer.Core.Issuance;

namespace EstServer.Core.Pipeline;

/// <summary>
/// The phases only a process holding the CA key runs: the duplicate-key claim (off when
/// <see cref="DuplicateKeys"/> is null), signing, and the record in the certificate store.
/// </summary>
public sealed record SigningPhases(CertificateIssuer Issuer, IssuanceRecorder Recorder, DuplicateKeyCheck? DuplicateKeys = null);
