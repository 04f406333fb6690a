using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.TestSupport;

namespace EstServer.LoadGen;

/// <summary>The simulated devices: their identities (TLS client certificates) and a pool of pre-generated CSRs.</summary>
public sealed class DeviceFleet
{
    private DeviceFleet(IReadOnlyList<Device> devices) => Devices = devices;

    public IReadOnlyList<Device> Devices { get; }

    public static DeviceFleet Load(string directory, int csrPool)
    {
        string[] certificates = Directory.GetFiles(directory, "*.pem").Order(StringComparer.Ordinal).ToArray();
        if (certificates.Length == 0)
        {
            throw new ArgumentException($"no device identities (*.pem + *.key) in {directory}; mint some with scripts/dev-device.sh NAME --count N");
        }

        int perDevice = Math.Max(1, csrPool / certificates.Length);
        var devices = certificates.AsParallel().AsOrdered().Select(path =>
        {
            X509Certificate2 certificate = X509Certificate2.CreateFromPemFile(path, Path.ChangeExtension(path, ".key"));
            string name = certificate.GetNameInfo(X509NameType.SimpleName, false);
            return new Device(name, certificate, CreateCsrs(name, perDevice));
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

        public string Name { get; } = name;

        /// <summary>Base64 request bodies, each a different key, used in turn so no answer comes from the idempotency cache.</summary>
        public byte[][] Csrs { get; } = csrs;

        public byte[] NextCsr() => Csrs[Interlocked.Increment(ref _nextCsr) % Csrs.Length];

        public X509Certificate2 Identity { get; } = identity;

        /// <summary>Built once: without it the TLS client would build the certificate chain on every handshake.</summary>
        public SslStreamCertificateContext IdentityContext { get; } = SslStreamCertificateContext.Create(identity, null, offline: true);

        /// <summary>For re-enrollment: the operational certificate obtained in the set-up phase.</summary>
        public SslStreamCertificateContext? Operational { get; set; }
    }
}
