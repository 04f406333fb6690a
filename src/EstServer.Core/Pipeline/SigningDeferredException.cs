namespace EstServer.Core.Pipeline;

/// <summary>
/// A job cannot be decided now because state the signers share (the certificate store) is unreachable. The
/// job is handed back and redelivered, never answered: a transient outage must not become a stored
/// refusal that every repeat of the request would then receive.
/// </summary>
public sealed class SigningDeferredException(string message, Exception inner) : Exception(message, inner);
