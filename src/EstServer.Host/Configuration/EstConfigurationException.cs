namespace EstServer.Host.Configuration;

/// <summary>A setting or a file it names is wrong; start-up stops with this message and no stack trace.</summary>
public sealed class EstConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
