using System.Text;
using EstServer.Core.Errors;
using EstServer.Host.Http;
using EstServer.Host.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EstServer.Host.Tests.Http;

/// <summary>Reading an EST request body: media type first (415), then size (413), then base64 (400).</summary>
[TestFixture]
public sealed class EstRequestBodyTests
{
    private const string Pkcs10 = "application/pkcs10";
    private const long Limit = 1024;

    [Test]
    public async Task ReadBase64DerAsync_Base64Body_ReturnsTheDecodedBytes()
    {
        HttpContext context = NewContext(Pkcs10, "AAEC\r\nAwQF\n");

        Result<byte[]> result = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        Assert.That(result.Value, Is.EqualTo(new byte[] { 0, 1, 2, 3, 4, 5 }));
    }

    [Test]
    public async Task ReadBase64DerAsync_MissingContentType_IsUnsupportedMediaType()
    {
        HttpContext context = NewContext(null, "AAEC");

        Result<byte[]> result = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Error?.Kind, Is.EqualTo(EstErrorKind.UnsupportedMediaType));
            Assert.That(result.Error?.Reason, Is.EqualTo("Content-Type is missing; send application/pkcs10"));
        }
    }

    [TestCase("application/pkcs10x")]
    [TestCase("text/plain; charset=utf-8")]
    [TestCase("this is not a media type")]
    public async Task ReadBase64DerAsync_OtherContentType_IsUnsupportedMediaType(string contentType)
    {
        HttpContext context = NewContext(contentType, "AAEC");

        Result<byte[]> result = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        Assert.That(result.Error?.Kind, Is.EqualTo(EstErrorKind.UnsupportedMediaType));
    }

    [Test]
    public async Task ReadBase64DerAsync_WrongContentTypeAndOversizedBody_IsUnsupportedMediaTypeFirst()
    {
        HttpContext context = NewContext("text/plain", new string('A', 4096));

        Result<byte[]> result = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        Assert.That(result.Error?.Kind, Is.EqualTo(EstErrorKind.UnsupportedMediaType));
    }

    [Test]
    public async Task ReadBase64DerAsync_ContentLengthOverLimit_IsPayloadTooLargeWithoutReadingTheBody()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = Pkcs10;
        context.Request.ContentLength = Limit + 1;
        context.Request.Body = new FailingStream(() => new AssertionException("the body must not be read"));

        Result<byte[]> result = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Error?.Kind, Is.EqualTo(EstErrorKind.PayloadTooLarge));
            Assert.That(result.Error?.Reason, Is.EqualTo("request body exceeds the limit of 1024 bytes"));
        }
    }

    [Test]
    public async Task ReadBase64DerAsync_BodyWithoutContentLengthOverLimit_IsPayloadTooLarge()
    {
        HttpContext context = NewContext(Pkcs10, new string('A', (int)Limit + 4), declareLength: false);

        Result<byte[]> result = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        Assert.That(result.Error?.Kind, Is.EqualTo(EstErrorKind.PayloadTooLarge));
    }

    [Test]
    public async Task ReadBase64DerAsync_BodyExactlyAtLimit_IsRead()
    {
        HttpContext context = NewContext(Pkcs10, new string('A', (int)Limit), declareLength: false);

        Result<byte[]> result = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        Assert.That(result.Value, Has.Length.EqualTo(Limit / 4 * 3));
    }

    [Test]
    public async Task ReadBase64DerAsync_ServerBodyLimitHit_IsPayloadTooLarge()
    {
        HttpContext context = NewContext(Pkcs10, "", declareLength: false);
        context.Request.Body = new FailingStream(() => new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge));

        Result<byte[]> result = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        Assert.That(result.Error?.Kind, Is.EqualTo(EstErrorKind.PayloadTooLarge));
    }

    [Test]
    public async Task ReadBase64DerAsync_BodyEndedEarly_IsA400WithReason()
    {
        HttpContext context = NewContext(Pkcs10, "", declareLength: false);
        context.Request.Body = new FailingStream(() => new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest));

        Result<byte[]> read = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        Assert.That(read.Error, Is.EqualTo(EstError.BadRequest("the request body is malformed or ended early")));
    }

    [Test]
    public async Task ReadBase64DerAsync_BodyTooSlow_IsA408WithReason()
    {
        HttpContext context = NewContext(Pkcs10, "", declareLength: false);
        context.Request.Body = new FailingStream(() => new BadHttpRequestException("Reading the request body timed out due to data arriving too slowly.", StatusCodes.Status408RequestTimeout));

        Result<byte[]> read = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        Assert.That(read.Error, Is.EqualTo(new EstError(EstErrorKind.RequestTimeout, "the request body arrived too slowly")));
    }

    [Test]
    public async Task ReadBase64DerAsync_WritableServerLimit_IsLoweredToTheBackstopAboveTheEstLimit()
    {
        HttpContext context = NewContext(Pkcs10, "AAEC");
        var feature = new MaxRequestBodySizeFeature(30_000_000, isReadOnly: false);
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(feature);

        _ = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        Assert.That(feature.MaxRequestBodySize, Is.EqualTo((Limit * 8) + 1024), "chunk framing counts against the server's limit, so it only backstops the exact EST limit");
    }

    [Test]
    public async Task ReadBase64DerAsync_ReadOnlyServerLimit_IsLeftAlone()
    {
        HttpContext context = NewContext(Pkcs10, "AAEC");
        var feature = new MaxRequestBodySizeFeature(30_000_000, isReadOnly: true);
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(feature);

        Result<byte[]> result = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(feature.MaxRequestBodySize, Is.EqualTo(30_000_000));
        }
    }

    [TestCase("", "request body is empty; expected base64-encoded DER")]
    [TestCase(" \r\n\t", "request body is empty; expected base64-encoded DER")]
    [TestCase("AAE", "request body is not valid base64")]
    [TestCase("AA-_", "request body is not valid base64")]
    [TestCase("-----BEGIN CERTIFICATE REQUEST-----\nAAEC\n-----END CERTIFICATE REQUEST-----\n", "request body is PEM armoured; send base64 DER without the BEGIN/END lines (RFC 8951)")]
    public async Task ReadBase64DerAsync_BodyNotBase64Der_IsBadRequest(string body, string reason)
    {
        HttpContext context = NewContext(Pkcs10, body);

        Result<byte[]> result = await EstRequestBody.ReadBase64DerAsync(context, Pkcs10, Limit);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Error?.Kind, Is.EqualTo(EstErrorKind.BadRequest));
            Assert.That(result.Error?.Reason, Is.EqualTo(reason));
        }
    }

    private static DefaultHttpContext NewContext(string? contentType, string body, bool declareLength = true)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(bytes);
        if (declareLength)
        {
            context.Request.ContentLength = bytes.Length;
        }

        return context;
    }
}
