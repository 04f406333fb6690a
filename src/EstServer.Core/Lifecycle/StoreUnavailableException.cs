namespace EstServer.Core.Lifecycle;

/// <summary>The certificate store cannot be reached now (database down, locked past its timeout). Callers answer 503 + Retry-After or hand the job back; never issue without a record.</summary>
public sealed class StoreUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
