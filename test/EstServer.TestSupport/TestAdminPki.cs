using System.Security.Cryptography.X509Certificates;

namespace EstServer.TestSupport;

/// <summary>
/// An admin CA of its own (never a device anchor) written as a PEM file for Est:Admin:CaPath, and the
/// admin client certificates tests present to /admin/v1.
/// </summary>
public sealed class TestAdminPki : IDisposable
{
    private readonly TempDirectory _directory = new("admin-pki");

    public TestAdminPki(string subject = "CN=Test Admin CA, O=Ops")
    {
        Ca = TestCertificates.CreateRootCa(subject);
        CaPath = _directory.Combine("admin-ca.pem");
        TestCertificates.WritePem(CaPath, Ca);
        Operator = CreateOperator("CN=alice, O=Ops");
    }

    public X509Certificate2 Ca { get; }

    public string CaPath { get; }

    /// <summary>A valid admin client certificate (clientAuth), valid from a day ago for a year.</summary>
    public X509Certificate2 Operator { get; }

    public X509Certificate2 CreateOperator(string subject, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null) =>
        TestCertificates.CreateClient(Ca, subject, notBefore, notAfter);

    public void Dispose()
    {
        Operator.Dispose();
        Ca.Dispose();
        _directory.Dispose();
    }
}
