namespace EstServer.LoadGen.Hostile;

/// <summary>Which TLS client certificate a case presents.</summary>
public enum CaseIdentity
{
    /// <summary>No client certificate at all.</summary>
    None,

    /// <summary>The hostile client's own, valid device identity (IDevID): it gets past authentication, so its bodies are parsed.</summary>
    Device,

    /// <summary>A certificate from a CA the server has never heard of.</summary>
    Untrusted,

    /// <summary>A device identity whose validity ended yesterday.</summary>
    Expired,

    /// <summary>An operational certificate this server issued to the hostile client (for simplereenroll).</summary>
    Operational,
}
