namespace EstServer.Core.Profiles;

/// <summary>Where the value of a subject attribute comes from.</summary>
public enum SubjectValueSource
{
    /// <summary>From the CSR, checked against the rule.</summary>
    Csr,

    /// <summary>A value the profile fixes; a CSR may omit it or repeat it, never change it.</summary>
    Fixed,

    /// <summary>Copied from the authenticated client certificate (e.g. the IDevID's serialNumber).</summary>
    ClientCertificate,
}
