using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.TestSupport;

namespace EstServer.LoadGen;

/// <summary>
/// The simulated devices: their identities (TLS client certificates) and a pool of pre-generated CSRs.
/// No CSR is sent twice: a repeated one is answered from the server's result cache (the request id is
/// the client certificate and the CSR), which would measure the cache, not enrollment.
/// </summary>
public sealed class DeviceFleet
{
    private DeviceFleet(IReadOnlyList<Device> devices) => Devices = devices;

    public IReadOnlyList<Device> Devices { get; }

    /// <summary>CSRs made during the run because a device's pool ran out (client CPU spent in the measurement).</summary>
    public long MintedDuringRun => Devices.Sum(device => device.MintedDuringRun);

    /// <param name="devicesInUse">How many devices the run sends from (a keep-alive run: one per connection); the pool is shared among those.</param>
    public static DeviceFleet Load(string directory, int csrPool, int devicesInUse)
    {
        string[] certificates = Directory.GetFiles(directory, "*.pem").Order(StringComparer.Ordinal).ToArray();
        if (certificates.Length == 0)
        {
            throw new ArgumentException($"no device identities (*.pem + *.key) in {directory}; mint some with scripts/dev-device.sh NAME --count N");
        }

        int inUse = Math.Clamp(devicesInUse, 1, certificates.Length);
        int perDevice = csrPool / inUse;
        var devices = certificates.AsParallel().AsOrdered().Select((path, index) =>
        {
            X509Certificate2 certificate = X509Certificate2.CreateFromPemFile(path, Path.ChangeExtension(path, ".key"));
            string name = certificate.GetNameInfo(X509NameType.SimpleName, false);
            return new Device(name, certificate, CreateCsrs(name, index < inUse ? perDevice : 0));
        }).ToArray();
        return new DeviceFleet(devices);
    }

    /// <summary>Fresh P-256 keys (a rekey each time); the CSRs name the device (CN) so the default profile accepts them.</summary>
    public static byte[][] CreateCsrs(string name, int count)
    {
        var csrs = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            csrs[i] = TestCsr.Create($"CN={name}", key, TestKeyType.EcP256).Body;
        }

        return csrs;
    }

    public sealed class Device(string name, X509Certificate2 identity, byte[][] csrs)
    {
        private long _nextCsr = -1;
        private long _minted;

        public string Name { get; } = name;

        /// <summary>Base64 request bodies, each a different key, each sent once.</summary>
        public byte[][] Csrs { get; } = csrs;

        public long MintedDuringRun => Interlocked.Read(ref _minted);

        /// <summary>The next unused CSR; past the pool, a fresh one (counted), never one already sent.</summary>
        public byte[] NextCsr()
        {
            long index = Interlocked.Increment(ref _nextCsr);
            if (index < Csrs.Length)
            {
                return Csrs[index];
            }

            Interlocked.Increment(ref _minted);
            return CreateCsrs(Name, 1)[0];
        }

        public X509Certificate2 Identity { get; } = identity;

        /// <summary>Built once: without it the TLS client would build the certificate chain on every handshake.</summary>
        public SslStreamCertificateContext IdentityContext { get; } = SslStreamCertificateContext.Create(identity, null, offline: true);

        /// <summary>For re-enrollment: the operational certificate obtained in the set-up phase.</summary>
        public SslStreamCertificateContext? Operational { get; set; }
    }
}
