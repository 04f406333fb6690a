using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Http;

/// <summary>
/// Every EST request runs in a log scope with its request id and the client certificate's subject and
/// SHA-256 thumbprint; with Est:LogFormat=json the console writes one JSON object per line with that
/// scope as fields, so every line of a request can be found by who sent it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class EstRequestObserverTests
{
    [Test]
    public async Task Request_WithJsonLogFormat_LogsJsonLinesCarryingTheRequestScope()
    {
        string output;
        string deviceSubject;
        string deviceSha256;
        using (var console = new ConsoleCapture())
        {
            using (var factory = new EstHostFactory(
                settings: new Dictionary<string, string?> { ["Est:LogFormat"] = "json" },
                profiles: [new TestProfile { Name = "json-logs", Default = true }],
                captureLogs: false))
            {
                using X509Certificate2 device = factory.LoadDeviceIdentity();
                deviceSubject = device.Subject;
                deviceSha256 = Convert.ToHexStringLower(device.GetCertHash(HashAlgorithmName.SHA256));
                using HttpClient client = factory.CreateClientPresenting(device);

                using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body("not a CSR"));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            }

            // Disposing the host flushed the console logger.
            output = console.Out;
        }

        string[] jsonLines = output.Split('\n').Where(line => line.StartsWith('{')).ToArray();
        JsonElement[] entries = jsonLines.Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        JsonElement refused = entries.SingleOrDefault(entry => entry.GetProperty("EventId").GetInt32() == 2001);

        Assert.That(refused.ValueKind, Is.EqualTo(JsonValueKind.Object), "the refusal is logged as JSON:\n" + output);
        JsonElement[] scopes = refused.GetProperty("Scopes").EnumerateArray().ToArray();
        JsonElement requestScope = scopes.SingleOrDefault(scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("ClientSha256", out _));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.GetProperty("LogLevel").GetString(), Is.EqualTo("Warning"));
            Assert.That(refused.GetProperty("Category").GetString(), Is.EqualTo("EstServer.Host.Endpoints.EstEndpoints"));
            Assert.That(refused.GetProperty("Timestamp").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"));
            Assert.That(requestScope.ValueKind, Is.EqualTo(JsonValueKind.Object), "the request scope is a JSON object with its fields");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(requestScope.GetProperty("RequestId").GetString(), Is.Not.Empty);
            Assert.That(requestScope.GetProperty("ClientSubject").GetString(), Is.EqualTo(deviceSubject));
            Assert.That(requestScope.GetProperty("ClientSha256").GetString(), Is.EqualTo(deviceSha256));
            Assert.That(output.Split('\n').Where(line => line.Contains("\"EventId\"", StringComparison.Ordinal)), Is.All.StartsWith("{"), "nothing but JSON from the logger");
        }
    }
}
