using EstServer.Core.Errors;
using EstServer.Host.Http;

namespace EstServer.Host.Endpoints;

/// <summary>
/// The plain-HTTP listener exists for CRLs, CA certificates and OCSP, which relying parties fetch over
/// HTTP and which are signed objects in themselves. EST needs TLS (RFC 7030 §3.3) and the admin API
/// needs client certificates, so anything else asked over plain HTTP is refused, before routing.
/// </summary>
public sealed class PlainHttpGuard(RequestDelegate next, ILogger<PlainHttpGuard> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        PathString path = context.Request.Path;
        if (context.Request.IsHttps || RevocationRoutes.Owns(path) || path == "/healthz" || path == "/readyz")
        {
            return next(context);
        }

        return EstRefusalWriter.WriteAsync(context, "plain_http", EstError.NotFound("this path is served over HTTPS only"), logger);
    }
}
