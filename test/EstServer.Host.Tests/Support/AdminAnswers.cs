using System.Net;
using System.Text.Json;

namespace EstServer.Host.Tests.Support;

/// <summary>Reading /admin/v1 answers: refusals are one line of text/plain, successes JSON.</summary>
internal static class AdminAnswers
{
    public static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        string body = await response.Content.ReadAsStringAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(body, Is.EqualTo(reason + "\n"));
        }
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        using JsonDocument document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
