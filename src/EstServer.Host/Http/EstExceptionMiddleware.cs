using EstServer.Core.Errors;

namespace EstServer.Host.Http;

/// <summary>
/// The last line of defence: anything unexpected is logged once, in full, and the client gets a bare
/// 500 with no details, never a stack trace.
/// </summary>
public sealed partial class EstExceptionMiddleware(RequestDelegate next, ILogger<EstExceptionMiddleware> logger)
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
            // server error; answer with Kestrel's status and a reason.
            LogBadRequest(logger, context.Request.Method, context.Request.Path, exception.StatusCode, exception.Message);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                EstError error = exception.StatusCode == StatusCodes.Status408RequestTimeout
                    ? new EstError(EstErrorKind.RequestTimeout, "the request arrived too slowly")
                    : exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                        ? new EstError(EstErrorKind.PayloadTooLarge, "request body too large")
                        : EstError.BadRequest("malformed request");
                await EstErrorResponder.WriteAsync(context, error).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await EstErrorResponder.WriteAsync(context, EstError.Internal("internal server error")).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Malformed request {Method} {Path}: {Status} {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
