namespace EstServer.LoadGen;

public enum LoadMode
{
    /// <summary>simpleenroll with the device identity.</summary>
    Enroll,

    /// <summary>simplereenroll with an operational certificate obtained in a set-up phase.</summary>
    Reenroll,

    /// <summary>GET /healthz: the same mutual-TLS connection with no EST work, the yardstick.</summary>
    Baseline,

    /// <summary>The bad-input campaign: seeded hostile requests while a legitimate device enrolls (Hostile/).</summary>
    Hostile,
}
