namespace EstServer.LoadGen.Hostile;

public enum OutcomeKind
{
    /// <summary>A complete HTTP response arrived.</summary>
    Status,

    /// <summary>The server closed (or reset) the connection before a complete response.</summary>
    ClosedByServer,

    /// <summary>No response within the case timeout and the connection still open.</summary>
    Hang,

    /// <summary>The client could not even run the case (connect or TLS handshake failed).</summary>
    ClientFailure,
}
