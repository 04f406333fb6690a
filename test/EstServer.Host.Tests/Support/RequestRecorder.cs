using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace EstServer.Host.Tests.Support;

/// <summary>Records how a request tagged with <see cref="Header"/> arrived at the server, e.g. whether it had a Content-Length.</summary>
internal sealed class RequestRecorder : IStartupFilter
{
    public const string Header = "X-Test-Trace";

    private readonly ConcurrentDictionary<string, long?> _contentLengths = new(StringComparer.Ordinal);

    /// <summary>The Content-Length the server saw for the traced request (null: none, e.g. chunked).</summary>
    public long? ContentLength(string trace) =>
        _contentLengths.TryGetValue(trace, out long? length) ? length : throw new InvalidOperationException($"request {trace} was not seen");

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var trace))
            {
                _contentLengths[trace.ToString()] = context.Request.ContentLength;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
