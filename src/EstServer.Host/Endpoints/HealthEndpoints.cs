using System.Text;
using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using EstServer.Core.Profiles;
using EstServer.Host.Configuration;
using EstServer.Redis;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Endpoints;

/// <summary>
/// Load-balancer probes, open without a client certificate. /healthz: the process answers.
/// /readyz: it can do its job: profiles and CA chain loaded, the certificate store reachable, and in
/// Redis mode Redis reachable with at least one signer worker alive; otherwise 503 with the reason.
/// </summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/healthz", [HttpMethods.Get, HttpMethods.Head], context => WriteAsync(context, StatusCodes.Status200OK, "ok"));
        routes.MapMethods("/readyz", [HttpMethods.Get, HttpMethods.Head], ReadyAsync);
    }

    private static async Task ReadyAsync(HttpContext context)
    {
        IServiceProvider services = context.RequestServices;
        if (services.GetRequiredService<IProfileCatalogProvider>().Current.Profiles.Count == 0)
        {
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "no certificate profiles loaded").ConfigureAwait(false);
            return;
        }

        try
        {
            // A query every host makes anyway (is there a revocation the CRL lacks?), so a probe costs what a CRL check does.
            _ = services.GetRequiredService<IRevocationList>().RevocationRevision(services.GetRequiredService<IssuingCa>().KeyIdHex);
        }
        catch (StoreUnavailableException)
        {
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "certificate store unreachable").ConfigureAwait(false);
            return;
        }

        if (services.GetRequiredService<IOptions<EstOptions>>().Value.UsesRedis)
        {
            long workers;
            try
            {
                workers = await services.GetRequiredService<WorkerRegistry>().CountAliveAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (RedisResilience.IsUnavailable(exception))
            {
                await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "redis unreachable").ConfigureAwait(false);
                return;
            }

            if (workers == 0)
            {
                await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "no signer worker alive").ConfigureAwait(false);
                return;
            }

            await WriteAsync(context, StatusCodes.Status200OK, $"ready ({workers} signer workers)").ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, StatusCodes.Status200OK, "ready").ConfigureAwait(false);
    }

    private static Task WriteAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        byte[] body = Encoding.UTF8.GetBytes(text + "\n");
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }
}
