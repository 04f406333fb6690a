using System.Security.Authentication;
using System.Text;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>An HTTP/1.1 answer exactly as it came off the TLS stream, with what the handshake negotiated.</summary>
public sealed record RawHttpResponse(
    SslProtocols Protocol,
    bool MutuallyAuthenticated,
    byte[] ServerCertificate,
    string StatusLine,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body)
{
    public int StatusCode => int.Parse(StatusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    public string BodyText => Encoding.ASCII.GetString(Body);

    public IEnumerable<string> HeaderValues(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string? Header(string name) => HeaderValues(name).SingleOrDefault();
}
