using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Profiles;
using EstServer.Core.Trust;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Support;

/// <summary>
/// The usual enrollment setting: our CA hierarchy, a device maker's factory root, one device identity
/// (an IDevID, SN-4711) under it, and a device profile trusting that root with a 7-day re-enroll grace.
/// </summary>
internal sealed class DeviceMakerScene : IDisposable
{
    private DeviceMakerScene(string name)
    {
        Pki = TestCaHierarchy.Create(name: name);
        FactoryRoot = TestCertificates.CreateRootCa($"CN={name} Factory Root");
        Device = TestCertificates.CreateClient(FactoryRoot, "CN=SN-4711, O=Device Maker");
        Profile = ModelProfiles.Device("devices", new TrustAnchors("Device Maker CA", [FactoryRoot])) with
        {
            Reenroll = new ReenrollPolicy { GracePeriod = TimeSpan.FromDays(7) },
        };
    }

    public TestCaHierarchy Pki { get; }

    public X509Certificate2 FactoryRoot { get; }

    /// <summary>The device identity, with its private key.</summary>
    public X509Certificate2 Device { get; }

    public CertificateProfile Profile { get; }

    public static DeviceMakerScene Create(string name) => new(name);

    public void Dispose()
    {
        Device.Dispose();
        FactoryRoot.Dispose();
        Pki.Dispose();
    }
}
