using System.Text;
using EstServer.Host.Http;
using Microsoft.AspNetCore.Http;

namespace EstServer.Host.Tests.Http;

/// <summary>Successful EST answers: base64 bodies with an explicit length, and the 202 of RFC 7030 §4.2.3.</summary>
[TestFixture]
public sealed class EstResponsesTests
{
    [Test]
    public async Task WriteCertsOnlyAsync_Der_WritesWrappedBase64WithCertsOnlyHeaders()
    {
        byte[] der = [.. Enumerable.Range(0, 100).Select(i => (byte)i)];
        (HttpContext context, MemoryStream body) = NewContext();

        await EstResponses.WriteCertsOnlyAsync(context, der);
        string text = Encoding.ASCII.GetString(body.ToArray());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(200));
            Assert.That(context.Response.ContentType, Is.EqualTo("application/pkcs7-mime; smime-type=certs-only"));
            Assert.That(context.Response.Headers["Content-Transfer-Encoding"].ToString(), Is.EqualTo("base64"));
            Assert.That(context.Response.Headers.CacheControl.ToString(), Is.EqualTo("no-store"));
            Assert.That(context.Response.ContentLength, Is.EqualTo(body.Length));
            Assert.That(text.Split('\n').Select(line => line.Length), Is.EqualTo(new[] { 64, 64, 136 - 128, 0 }), "100 bytes are 136 base64 characters");
            Assert.That(Convert.FromBase64String(text.Replace("\n", "", StringComparison.Ordinal)), Is.EqualTo(der));
        }
    }

    [Test]
    public async Task WriteEncodedAsync_PreEncodedBody_WritesItUnchanged()
    {
        byte[] encoded = "QUJD\n"u8.ToArray();
        (HttpContext context, MemoryStream body) = NewContext();

        await EstResponses.WriteEncodedAsync(context, encoded, "application/csrattrs");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.ToArray(), Is.EqualTo(encoded));
            Assert.That(context.Response.ContentType, Is.EqualTo("application/csrattrs"));
            Assert.That(context.Response.ContentLength, Is.EqualTo(encoded.Length));
        }
    }

    [Test]
    public async Task WriteAcceptedAsync_RetryAfter_Writes202WithRetryAfterAndReason()
    {
        (HttpContext context, MemoryStream body) = NewContext();

        await EstResponses.WriteAcceptedAsync(context, TimeSpan.FromSeconds(4.2));
        string text = Encoding.UTF8.GetString(body.ToArray());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(202));
            Assert.That(context.Response.Headers.RetryAfter.ToString(), Is.EqualTo("5"));
            Assert.That(context.Response.ContentType, Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(context.Response.ContentLength, Is.EqualTo(body.Length));
            Assert.That(text, Does.EndWith("\n").And.Contain("Retry-After"));
        }
    }

    private static (HttpContext Context, MemoryStream Body) NewContext()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        return (context, body);
    }
}
