using System.Security.Cryptography.X509Certificates;
using EstServer.LoadGen;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.LoadGen;

/// <summary>The benchmark's devices never send a CSR twice: a repeat would measure the result cache.</summary>
[TestFixture]
public sealed class DeviceFleetTests
{
    private TempDirectory _devices = null!;

    [OneTimeSetUp]
    public void WriteDevices()
    {
        _devices = new TempDirectory("fleet");
        using X509Certificate2 root = TestCertificates.CreateRootCa("CN=Fleet Test Root");
        foreach (string name in new[] { "fleet-a", "fleet-b", "fleet-c" })
        {
            using X509Certificate2 device = TestCertificates.CreateClient(root, $"CN={name}");
            TestCertificates.WritePem(_devices.Combine(name + ".pem"), device);
            TestCertificates.WriteKeyPem(_devices.Combine(name + ".key"), device);
        }
    }

    [OneTimeTearDown]
    public void DeleteDevices() => _devices.Dispose();

    [Test]
    public void NextCsr_PastThePool_MintsFreshOnesAndCountsThem()
    {
        DeviceFleet fleet = DeviceFleet.Load(_devices.Path, csrPool: 6, devicesInUse: int.MaxValue);
        DeviceFleet.Device device = fleet.Devices[0];

        byte[][] sent = Enumerable.Range(0, 5).Select(_ => device.NextCsr()).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(device.Csrs, Has.Length.EqualTo(2), "6 CSRs shared by 3 devices");
            Assert.That(sent.Select(Convert.ToBase64String), Is.Unique);
            Assert.That(device.MintedDuringRun, Is.EqualTo(3));
            Assert.That(fleet.MintedDuringRun, Is.EqualTo(3));
        });
    }

    [Test]
    public void Load_KeepAliveOnOneDevice_WholePoolGoesToTheDeviceInUse()
    {
        DeviceFleet fleet = DeviceFleet.Load(_devices.Path, csrPool: 4, devicesInUse: 1);

        Assert.That(fleet.Devices.Select(device => device.Csrs.Length), Is.EqualTo(new[] { 4, 0, 0 }));
    }
}
