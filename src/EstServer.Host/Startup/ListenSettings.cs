namespace EstServer.Host.Startup;

/// <summary>
/// Which setting each listen address came from, as the operator wrote it (before the CRL/OCSP listener
/// was added), so "address in use" names the setting to change.
/// </summary>
public sealed record ListenSettings(string Https, string Http);
