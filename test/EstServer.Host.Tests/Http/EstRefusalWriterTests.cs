using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.Core.Errors;
using EstServer.Host.Http;
using EstServer.Host.Observability;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace EstServer.Host.Tests.Http;

/// <summary>
/// Every refusal is written by one writer: the status and one-line reason, one log line in the
/// caller's category, and est_rejections_total. Each test counts under an operation of its own, since
/// the metrics registry is one per process.
/// </summary>
[TestFixture]
public sealed class EstRefusalWriterTests
{
    [Test]
    public async Task WriteAsync_Refusal_AnswersWithStatusReasonAndRetryAfter()
    {
        DefaultHttpContext context = NewContext();

        await EstRefusalWriter.WriteAsync(context, "writer-answer", EstError.Unavailable("queue full", TimeSpan.FromSeconds(7)), NewLogger(new CapturedLogs()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(503));
            Assert.That(context.Response.ContentType, Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(context.Response.Headers.RetryAfter.ToString(), Is.EqualTo("7"));
            Assert.That(Body(context), Is.EqualTo("queue full\n"));
        }
    }

    [Test]
    public async Task WriteAsync_Refusal_LogsOneWarningInTheCallersCategoryNamingClientAndRemote()
    {
        var logs = new CapturedLogs();
        using X509Certificate2 client = TestCertificates.CreateRootCa("CN=refused-client");
        DefaultHttpContext context = NewContext(client);
        context.Request.Method = "POST";
        context.Request.Path = "/.well-known/est/gw/simpleenroll";
        context.Request.RouteValues["label"] = "gw";

        await EstRefusalWriter.WriteAsync(context, "simpleenroll", EstError.Forbidden("not yours"), NewLogger(logs));

        CapturedLogs.LogEntry entry = logs.Entries.Single();
        string sha256 = Convert.ToHexStringLower(client.GetCertHash(HashAlgorithmName.SHA256));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Category, Is.EqualTo(typeof(EstRefusalWriterTests).FullName));
            Assert.That((entry.Level, entry.EventId.Id), Is.EqualTo((LogLevel.Warning, 2001)));
            Assert.That(entry.Message, Is.EqualTo(
                $"EST simpleenroll POST /.well-known/est/gw/simpleenroll refused with 403: not yours; label='gw' client CN=refused-client (sha256 {sha256}) from 192.0.2.7"));
        }
    }

    [Test]
    public async Task WriteAsync_Refusal_CountsTheRejectionByOperationAndReason()
    {
        double before = EstMetrics.Rejections.WithLabels("writer-count", "too_many_requests").Value;

        await EstRefusalWriter.WriteAsync(NewContext(), "writer-count", EstError.TooManyRequests("slow down", TimeSpan.FromSeconds(1)), NewLogger(new CapturedLogs()));

        Assert.That(EstMetrics.Rejections.WithLabels("writer-count", "too_many_requests").Value - before, Is.EqualTo(1));
    }

    [Test]
    public async Task WriteAsync_InternalError_LogsOneErrorWithTheExceptionAndShowsNoDetail()
    {
        var logs = new CapturedLogs();
        DefaultHttpContext context = NewContext();
        var cause = new InvalidOperationException("secret detail");

        await EstRefusalWriter.WriteAsync(context, "writer-internal", EstError.Internal("internal server error"), NewLogger(logs), cause);

        CapturedLogs.LogEntry entry = logs.Entries.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((entry.Level, entry.EventId.Id), Is.EqualTo((LogLevel.Error, 1001)));
            Assert.That(entry.Exception, Is.SameAs(cause));
            Assert.That(Body(context), Is.EqualTo("internal server error\n"));
            Assert.That(EstMetrics.Rejections.WithLabels("writer-internal", "internal").Value, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task WriteAsync_HeadersSetBefore_AreCleared()
    {
        DefaultHttpContext context = NewContext();
        context.Response.Headers["X-Partial"] = "yes";
        context.Response.StatusCode = 202;

        await EstRefusalWriter.WriteAsync(context, "writer-clear", EstError.BadRequest("no"), NewLogger(new CapturedLogs()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(400));
            Assert.That(context.Response.Headers.ContainsKey("X-Partial"), Is.False);
        }
    }

    [Test]
    public async Task WriteAsync_ResponseAlreadyStarted_LogsAndCountsWithoutWriting()
    {
        var logs = new CapturedLogs();
        DefaultHttpContext context = NewContext();
        var started = new StartedResponseFeature();
        context.Features.Set<IHttpResponseFeature>(started);

        await EstRefusalWriter.WriteAsync(context, "writer-started", EstError.Internal("internal server error"), NewLogger(logs), new InvalidOperationException("late"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(started.StatusCode, Is.EqualTo(200), "the status already sent stands");
            Assert.That(Body(context), Is.Empty);
            Assert.That(logs.Entries, Has.Count.EqualTo(1));
            Assert.That(EstMetrics.Rejections.WithLabels("writer-started", "internal").Value, Is.EqualTo(1));
        }
    }

    private static DefaultHttpContext NewContext(X509Certificate2? client = null)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        context.Connection.ClientCertificate = client;
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.7");
        return context;
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private static Logger<EstRefusalWriterTests> NewLogger(CapturedLogs logs) => new(new LoggerFactory([logs]));

    /// <summary>A response whose status and headers have gone to the client.</summary>
    private sealed class StartedResponseFeature : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }
}
