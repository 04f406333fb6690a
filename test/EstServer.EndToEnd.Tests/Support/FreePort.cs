using System.Net;
using System.Net.Sockets;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>A loopback TCP port nobody listens on right now, for a listener whose address must be known before it starts.</summary>
public static class FreePort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>http://127.0.0.1:PORT on a free port.</summary>
    public static string HttpUrl() => $"http://127.0.0.1:{Pick().ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
