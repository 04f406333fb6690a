using System.Text;
using EstServer.Core.Errors;
using EstServer.Host.Http;
using Microsoft.AspNetCore.Http;

namespace EstServer.Host.Tests.Http;

/// <summary>The single EstError → HTTP mapping: status, one-line text/plain reason and the headers each kind needs.</summary>
[TestFixture]
public sealed class EstErrorResponderTests
{
    private static readonly Dictionary<EstErrorKind, int> ExpectedStatus = new()
    {
        [EstErrorKind.BadRequest] = 400,
        [EstErrorKind.Unauthorized] = 401,
        [EstErrorKind.Forbidden] = 403,
        [EstErrorKind.NotFound] = 404,
        [EstErrorKind.MethodNotAllowed] = 405,
        [EstErrorKind.PayloadTooLarge] = 413,
        [EstErrorKind.UnsupportedMediaType] = 415,
        [EstErrorKind.TooManyRequests] = 429,
        [EstErrorKind.Unavailable] = 503,
        [EstErrorKind.Internal] = 500,
        [EstErrorKind.RequestTimeout] = 408,
    };

    private static IEnumerable<EstErrorKind> AllKinds => Enum.GetValues<EstErrorKind>();

    [TestCaseSource(nameof(AllKinds))]
    public void StatusCode_EveryErrorKind_MapsToItsHttpStatus(EstErrorKind kind)
    {
        Assert.That(ExpectedStatus, Does.ContainKey(kind), $"{kind} has no expected status in this test: add it");
        Assert.That(EstErrorResponder.StatusCode(kind), Is.EqualTo(ExpectedStatus[kind]));
    }

    [Test]
    public void StatusCode_UndefinedKind_Is500()
    {
        Assert.That(EstErrorResponder.StatusCode((EstErrorKind)999), Is.EqualTo(500));
    }

    [Test]
    public async Task WriteAsync_AnyError_WritesOneLineTextPlainWithLengthAndNoStore()
    {
        (HttpContext context, MemoryStream body) = NewContext();

        await EstErrorResponder.WriteAsync(context, EstError.BadRequest("CSR is broken"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(400));
            Assert.That(context.Response.ContentType, Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(Encoding.UTF8.GetString(body.ToArray()), Is.EqualTo("CSR is broken\n"));
            Assert.That(context.Response.ContentLength, Is.EqualTo(body.Length));
            Assert.That(context.Response.Headers.CacheControl.ToString(), Is.EqualTo("no-store"));
        }
    }

    [Test]
    public async Task WriteAsync_MultiLineReason_IsWrittenOnOneLine()
    {
        (HttpContext context, MemoryStream body) = NewContext();

        await EstErrorResponder.WriteAsync(context, EstError.Forbidden("first\r\nsecond\nthird\rfourth"));

        Assert.That(Encoding.UTF8.GetString(body.ToArray()), Is.EqualTo("first second third fourth\n"));
    }

    [Test]
    public async Task WriteAsync_NonAsciiReason_IsUtf8WithByteLength()
    {
        (HttpContext context, MemoryStream body) = NewContext();

        await EstErrorResponder.WriteAsync(context, EstError.BadRequest("subject CN=Gerät"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Encoding.UTF8.GetString(body.ToArray()), Is.EqualTo("subject CN=Gerät\n"));
            Assert.That(context.Response.ContentLength, Is.EqualTo(Encoding.UTF8.GetByteCount("subject CN=Gerät\n")));
        }
    }

    [TestCase(2500, "3")]
    [TestCase(200, "1")]
    [TestCase(60_000, "60")]
    public async Task WriteAsync_Unavailable_SetsRetryAfterInWholeSecondsRoundedUp(int milliseconds, string expected)
    {
        (HttpContext context, _) = NewContext();

        await EstErrorResponder.WriteAsync(context, EstError.Unavailable("busy", TimeSpan.FromMilliseconds(milliseconds)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(503));
            Assert.That(context.Response.Headers.RetryAfter.ToString(), Is.EqualTo(expected));
        }
    }

    [Test]
    public async Task WriteAsync_ErrorWithoutRetryAfter_SetsNoRetryAfterHeader()
    {
        (HttpContext context, _) = NewContext();

        await EstErrorResponder.WriteAsync(context, EstError.Internal("boom"));

        Assert.That(context.Response.Headers.ContainsKey("Retry-After"), Is.False);
    }

    [Test]
    public async Task WriteAsync_Unauthorized_SetsChallenge()
    {
        (HttpContext context, _) = NewContext();

        await EstErrorResponder.WriteAsync(context, EstError.Unauthorized("certificate required"));

        Assert.That(context.Response.Headers.WWWAuthenticate.ToString(), Is.EqualTo("TLS-client-certificate"));
    }

    [Test]
    public async Task WriteAsync_Forbidden_SetsNoChallenge()
    {
        (HttpContext context, _) = NewContext();

        await EstErrorResponder.WriteAsync(context, EstError.Forbidden("not trusted"));

        Assert.That(context.Response.Headers.ContainsKey("WWW-Authenticate"), Is.False);
    }

    [Test]
    public async Task WriteAsync_MethodNotAllowed_SetsAllow()
    {
        (HttpContext context, MemoryStream body) = NewContext();

        await EstErrorResponder.WriteAsync(context, EstError.MethodNotAllowed("PATCH", "POST"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(405));
            Assert.That(context.Response.Headers.Allow.ToString(), Is.EqualTo("POST"));
            Assert.That(Encoding.UTF8.GetString(body.ToArray()), Is.EqualTo("method PATCH is not allowed here; use POST\n"));
        }
    }

    [TestCase(0, "1")]
    [TestCase(-5000, "1")]
    [TestCase(1000, "1")]
    [TestCase(1001, "2")]
    [TestCase(3_600_000, "3600")]
    public void RetryAfterSeconds_Duration_IsWholeSecondsAtLeastOne(int milliseconds, string expected)
    {
        Assert.That(EstErrorResponder.RetryAfterSeconds(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(expected));
    }

    private static (HttpContext Context, MemoryStream Body) NewContext()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        return (context, body);
    }
}
