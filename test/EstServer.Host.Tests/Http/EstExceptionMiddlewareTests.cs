using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.Core.Queue;
using EstServer.Host.Http;
using EstServer.Host.Observability;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EstServer.Host.Tests.Http;

/// <summary>The last line of defence: an unexpected exception is logged once and answered with a bare 500.</summary>
[TestFixture]
public sealed class EstExceptionMiddlewareTests
{
    [Test]
    public async Task InvokeAsync_ExceptionInsideTheRealPipeline_Returns500WithoutDetails()
    {
        using var factory = new EstHostFactory(configureServices: services => services.AddSingleton<ISigningQueue, ThrowingSigningQueue>());
        using X509Certificate2 device = factory.LoadDeviceIdentity();
        using HttpClient client = factory.CreateClientPresenting(device);

        using HttpResponseMessage response = await client.PostAsync(
            EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(TestCsr.Create("CN=unlucky-device").Base64));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(body, Is.EqualTo("internal server error\n"));
            Assert.That(body, Does.Not.Contain("secret").And.Not.Contain("Exception").And.Not.Contain(" at "));
        }
    }

    [Test]
    public async Task InvokeAsync_ExceptionInsideTheRealPipeline_IsLoggedOnceWithTheException()
    {
        using var factory = new EstHostFactory(configureServices: services => services.AddSingleton<ISigningQueue, ThrowingSigningQueue>());
        using X509Certificate2 device = factory.LoadDeviceIdentity();
        using HttpClient client = factory.CreateClientPresenting(device);

        using HttpResponseMessage response = await client.PostAsync(
            EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(TestCsr.Create("CN=unlucky-device").Base64));

        CapturedLogs.LogEntry[] errors = [.. factory.Logs.Entries.Where(entry => entry.Level >= LogLevel.Error)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors, Has.Length.EqualTo(1));
            Assert.That(errors[0].EventId.Id, Is.EqualTo(1001));
            Assert.That(errors[0].Message, Does.Contain("POST").And.Contain("/.well-known/est/simpleenroll"));
            Assert.That(errors[0].Exception?.Message, Is.EqualTo(ThrowingSigningQueue.Secret));
        }
    }

    [Test]
    public async Task InvokeAsync_NextThrows_Writes500AndClearsWhatWasSet()
    {
        var logs = new CapturedLogs();
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        var middleware = new EstExceptionMiddleware(
            httpContext =>
            {
                httpContext.Response.Headers["X-Partial"] = "yes";
                throw new InvalidOperationException("boom");
            },
            NewLogger(logs));

        await middleware.InvokeAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(500));
            Assert.That(context.Response.Headers.ContainsKey("X-Partial"), Is.False);
            Assert.That(Encoding.UTF8.GetString(body.ToArray()), Is.EqualTo("internal server error\n"));
            Assert.That(logs.Entries.Select(entry => entry.Exception?.Message), Is.EqualTo(new[] { "boom" }));
        }
    }

    [Test]
    public async Task InvokeAsync_NextThrows_CountsTheRejection()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        var middleware = new EstExceptionMiddleware(_ => throw new InvalidOperationException("boom"), NewLogger(new CapturedLogs()));
        double before = EstMetrics.Rejections.WithLabels("none", "internal").Value;

        await middleware.InvokeAsync(context);

        Assert.That(EstMetrics.Rejections.WithLabels("none", "internal").Value - before, Is.EqualTo(1));
    }

    [TestCase(StatusCodes.Status400BadRequest, "malformed request\n")]
    [TestCase(StatusCodes.Status408RequestTimeout, "the request arrived too slowly\n")]
    [TestCase(StatusCodes.Status413PayloadTooLarge, "request body too large\n")]
    public async Task InvokeAsync_KestrelRejectsTheRequest_AnswersKestrelsStatusWithAReason(int status, string reason)
    {
        var logs = new CapturedLogs();
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        var middleware = new EstExceptionMiddleware(_ => throw new BadHttpRequestException("kestrel's words", status), NewLogger(logs));

        await middleware.InvokeAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(status));
            Assert.That(Encoding.UTF8.GetString(body.ToArray()), Is.EqualTo(reason));
            Assert.That(logs.Entries.Select(entry => (entry.Level, entry.EventId.Id)), Is.EqualTo(new[] { (LogLevel.Warning, 2001) }));
        }
    }

    [Test]
    public async Task InvokeAsync_ClientWentAway_WritesNothingAndLogsNothing()
    {
        var logs = new CapturedLogs();
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        var context = new DefaultHttpContext { RequestAborted = aborted.Token };
        var body = new MemoryStream();
        context.Response.Body = body;
        var middleware = new EstExceptionMiddleware(httpContext => throw new OperationCanceledException(httpContext.RequestAborted), NewLogger(logs));

        await middleware.InvokeAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(200));
            Assert.That(body.Length, Is.Zero);
            Assert.That(logs.Entries, Is.Empty);
        }
    }

    [Test]
    public async Task InvokeAsync_CancellationWhileClientStillConnected_Is500()
    {
        var logs = new CapturedLogs();
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        var middleware = new EstExceptionMiddleware(_ => throw new TaskCanceledException("internal timeout"), NewLogger(logs));

        await middleware.InvokeAsync(context);

        Assert.That(context.Response.StatusCode, Is.EqualTo(500));
    }

    [Test]
    public async Task InvokeAsync_NextSucceeds_LeavesTheResponseAlone()
    {
        var logs = new CapturedLogs();
        var context = new DefaultHttpContext();
        var middleware = new EstExceptionMiddleware(
            httpContext =>
            {
                httpContext.Response.StatusCode = 202;
                return Task.CompletedTask;
            },
            NewLogger(logs));

        await middleware.InvokeAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(202));
            Assert.That(logs.Entries, Is.Empty);
        }
    }

    private static Logger<EstExceptionMiddleware> NewLogger(CapturedLogs logs) => new(new LoggerFactory([logs]));
}
