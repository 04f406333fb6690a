namespace EstServer.Core.Profiles;

/// <summary>What happens to an extension a CSR requests (in its extensionRequest attribute).</summary>
public enum CsrExtensionAction
{
    /// <summary>Copied into the certificate (subjectAltName: after its rules are checked).</summary>
    Honour,

    /// <summary>Dropped silently: the profile decides that content itself.</summary>
    Ignore,

    /// <summary>The request is refused with a reason naming the extension.</summary>
    Reject,
}
