namespace EstServer.Core.Profiles;

/// <summary>The GeneralName forms a profile can allow (RFC 5280 §4.2.1.6).</summary>
public enum SubjectAltNameType
{
    Dns,
    Ip,
    Email,
    Uri,
}
