namespace EstServer.Core.Pipeline;

public enum EnrollmentKind
{
    /// <summary>simpleenroll (RFC 7030 §4.2.1), authenticated by a device identity.</summary>
    Enroll,

    /// <summary>simplereenroll (RFC 7030 §4.2.2), authenticated by a certificate this CA issued.</summary>
    Reenroll,
}
