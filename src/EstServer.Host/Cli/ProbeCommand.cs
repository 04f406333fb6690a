using System.Net.Security;

namespace EstServer.Host.Cli;

/// <summary>
/// estserver probe [URL]: a container health check without curl in the image. GETs the URL (default
/// https://localhost:8443/healthz) and exits 0 on 200, 1 otherwise. It talks to its own process over
/// loopback, so the server certificate is not checked (in production it names the public host).
/// </summary>
public static class ProbeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        string url = args.Length > 0 ? args[0] : "https://localhost:8443/healthz";
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectTimeout = TimeSpan.FromSeconds(3),
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using HttpResponseMessage response = await client.GetAsync(new Uri(url)).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await error.WriteLineAsync($"{url}: {(int)response.StatusCode}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await error.WriteLineAsync($"{url}: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
