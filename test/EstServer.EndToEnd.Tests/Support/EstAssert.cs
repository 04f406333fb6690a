using System.Net;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>Checks for EST refusals: the status, and a one-line text/plain reason.</summary>
public static class EstAssert
{
    /// <returns>The reason, without its line end.</returns>
    public static async Task<string> RefusedAsync(HttpResponseMessage response, HttpStatusCode status, string? reasonFragment = null)
    {
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        string reason = body.TrimEnd('\n');
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), $"body: {body}");
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(reason, Is.Not.Empty, "a reason is given");
            Assert.That(reason, Does.Not.Contain("\n").And.Not.Contain("\r"), "the reason is one line");
            if (reasonFragment is not null)
            {
                Assert.That(reason, Does.Contain(reasonFragment).IgnoreCase);
            }
        }

        return reason;
    }
}
