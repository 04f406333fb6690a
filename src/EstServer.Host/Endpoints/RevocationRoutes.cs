using System.Globalization;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using EstServer.Core.Revocation;
using EstServer.Host.Configuration;
using EstServer.Host.Http;
using EstServer.Host.Pki;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EstServer.Host.Endpoints;

/// <summary>
/// What relying parties fetch to check a certificate, open to all and served over plain HTTP as well
/// as HTTPS: the CRL (RFC 5280 §5, as DER, RFC 2585 §4.2 media type), the issuing CA certificate for
/// caIssuers (RFC 5280 §4.2.2.1) and the OCSP responder (RFC 6960 Appendix A: POST, and GET with the
/// request base64 in the path).
/// </summary>
public sealed class RevocationRoutes(
    IssuingCa ca,
    CrlCache crls,
    OcspIdentityHolder ocspIdentity,
    ICertificateStatusReader store,
    TimeProvider time,
    IOptions<EstOptions> options,
    ILogger<RevocationRoutes> logger)
{
    public const string CrlPrefix = "/crl/";
    public const string CaPrefix = "/ca/";
    public const string OcspPath = "/ocsp";

    /// <summary>An OCSP request names a handful of certificates; anything this large is not one.</summary>
    private const int MaxOcspRequestBytes = 16 * 1024;

    private readonly OcspResponder? _ocsp = ocspIdentity.Identity is { } identity
        ? new OcspResponder(store, ca, identity, time, new OcspResponderOptions())
        : null;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.Map(CrlPrefix + "{file}", context => Handler(context).CrlAsync(context));
        routes.Map(CaPrefix + "{file}", context => Handler(context).CaCertificateAsync(context));
        routes.Map(OcspPath, context => Handler(context).OcspAsync(context, null));
        routes.Map(OcspPath + "/{**request}", context => Handler(context).OcspAsync(context, context.Request.RouteValues["request"] as string));
    }

    /// <summary>Paths this class answers, which the plain-HTTP listener serves (everything else there is HTTPS-only).</summary>
    public static bool Owns(PathString path) =>
        path.StartsWithSegments(CrlPrefix.TrimEnd('/'), StringComparison.Ordinal)
        || path.StartsWithSegments(CaPrefix.TrimEnd('/'), StringComparison.Ordinal)
        || path.StartsWithSegments(OcspPath, StringComparison.Ordinal);

    private static RevocationRoutes Handler(HttpContext context) => context.RequestServices.GetRequiredService<RevocationRoutes>();

    private Task CrlAsync(HttpContext context)
    {
        if (GetOnly(context) is { } refused)
        {
            return FailAsync(context, "crl", refused);
        }

        if (KeyIdOf(context, ".crl") is not { } keyId)
        {
            return FailAsync(context, "crl", EstError.NotFound($"no CRL here: this server publishes {CrlPrefix}{ca.KeyIdHex}.crl"));
        }

        PublishedCrl? crl;
        try
        {
            crl = crls.Current(keyId);
        }
        catch (StoreUnavailableException)
        {
            return FailAsync(context, "crl", EstError.Unavailable("the CRL is not available yet: the certificate store is unreachable", options.Value.RetryAfter));
        }

        if (crl is null)
        {
            return FailAsync(context, "crl", EstError.Unavailable("no CRL has been published yet; it is published by whoever holds the CA key", options.Value.RetryAfter));
        }

        // A revocation must reach relying parties within seconds, so caches may keep a CRL only briefly.
        context.Response.Headers[HeaderNames.CacheControl] = "public, max-age=5";
        context.Response.Headers[HeaderNames.ETag] = $"\"{crl.Number.ToString(CultureInfo.InvariantCulture)}\"";
        context.Response.Headers[HeaderNames.LastModified] = crl.ThisUpdate.ToString("R", CultureInfo.InvariantCulture);
        return WriteAsync(context, crl.Der, "application/pkix-crl");
    }

    private Task CaCertificateAsync(HttpContext context)
    {
        if (GetOnly(context) is { } refused)
        {
            return FailAsync(context, "ca", refused);
        }

        if (KeyIdOf(context, ".crt") is null)
        {
            return FailAsync(context, "ca", EstError.NotFound($"no CA certificate here: this server publishes {CaPrefix}{ca.KeyIdHex}.crt"));
        }

        context.Response.Headers[HeaderNames.CacheControl] = "public, max-age=86400";
        return WriteAsync(context, ca.ChainDer[0], "application/pkix-cert");
    }

    private async Task OcspAsync(HttpContext context, string? getRequest)
    {
        if (_ocsp is not { } responder)
        {
            await FailAsync(context, "ocsp", EstError.NotFound("no OCSP responder is configured here (set Est:Revocation:OcspCertificatePath and OcspKeyPath)")).ConfigureAwait(false);
            return;
        }

        byte[] request;
        if (HttpMethods.IsPost(context.Request.Method) && getRequest is null)
        {
            // RFC 6960 Appendix A.1: the body is the DER request; a bad one still gets an OCSP answer (malformedRequest).
            request = await ReadBodyAsync(context.Request).ConfigureAwait(false);
        }
        else if (HttpMethods.IsGet(context.Request.Method) && getRequest is not null)
        {
            request = OcspGetRequest.TryDecode(getRequest, out byte[] der) ? der : [];
        }
        else
        {
            await FailAsync(context, "ocsp", EstError.MethodNotAllowed(context.Request.Method, getRequest is null ? "POST" : "GET")).ConfigureAwait(false);
            return;
        }

        byte[] answer = responder.Respond(request);
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        await WriteAsync(context, answer, "application/ocsp-response").ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is > MaxOcspRequestBytes)
        {
            return [];
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 512);
        byte[] chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxOcspRequestBytes)
            {
                return [];
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The key id of the file name when it is this CA's, compared without regard to case.</summary>
    private string? KeyIdOf(HttpContext context, string extension) =>
        context.Request.RouteValues["file"] is string file
        && file.EndsWith(extension, StringComparison.OrdinalIgnoreCase)
        && string.Equals(file[..^extension.Length], ca.KeyIdHex, StringComparison.OrdinalIgnoreCase)
            ? ca.KeyIdHex
            : null;

    private static EstError? GetOnly(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ? null : EstError.MethodNotAllowed(context.Request.Method, "GET, HEAD");

    private Task FailAsync(HttpContext context, string operation, EstError error) => EstRefusalWriter.WriteAsync(context, operation, error, logger);

    private static Task WriteAsync(HttpContext context, byte[] body, string contentType)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }
}
