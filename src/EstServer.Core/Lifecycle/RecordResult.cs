namespace EstServer.Core.Lifecycle;

/// <summary>What recording a freshly signed certificate came to. Only <see cref="Recorded"/> lets that certificate reach a client.</summary>
public abstract record RecordResult
{
    private RecordResult()
    {
    }

    public sealed record Recorded : RecordResult;

    /// <summary>Another signer recorded a certificate for the same request first (a redelivered job): answer with that one.</summary>
    public sealed record AlreadyIssued(CertificateRecord Existing) : RecordResult;

    /// <summary>The key is claimed by another identity.</summary>
    public sealed record KeyTaken(string Owner) : RecordResult;

    /// <summary>The device identity was blocked while the request was on its way.</summary>
    public sealed record DeviceBlocked : RecordResult;
}
