using EstServer.Core.Errors;

namespace EstServer.Host.Http;

/// <summary>
/// The last line of defence: anything unexpected is logged once, in full, and the client gets a bare
/// 500 with no details, never a stack trace.
/// </summary>
public sealed class EstExceptionMiddleware(RequestDelegate next, ILogger<EstExceptionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (BadHttpRequestException exception)
        {
            // A malformed request noticed by Kestrel outside the body reader: the client's fault, not a
            // server error.
            await EstRefusalWriter.WriteAsync(context, Operation(context), KestrelRequestErrors.From(exception, bodyLimit: null), logger).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await EstRefusalWriter.WriteAsync(context, Operation(context), EstError.Internal("internal server error"), logger, exception).ConfigureAwait(false);
        }
    }

    /// <summary>The metric label: the EST operation of the matched route; anything else (health, metrics, no route) is "none".</summary>
    private static string Operation(HttpContext context) => EstOperationMetadata.Of(context) ?? "none";
}
