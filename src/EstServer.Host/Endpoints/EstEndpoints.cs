using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Authority;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Queue;
using EstServer.Core.Wire;
using EstServer.Host.Configuration;
using EstServer.Host.Http;
using EstServer.Host.Tls;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Endpoints;

/// <summary>
/// The EST resources of RFC 7030 §3.2.2, each also under an optional label segment. Every route
/// accepts any method so that a wrong one gets a 405 with a reason rather than a bare status.
/// </summary>
public sealed partial class EstEndpoints(
    EstAuthority authority,
    ClientChainCapture chains,
    IHostApplicationLifetime lifetime,
    IOptions<EstOptions> options,
    ILogger<EstEndpoints> logger)
{
    public const string Root = "/.well-known/est";

    private readonly Lazy<byte[]> _caCertificatesBody = new(() => EstBase64.Encode(authority.CaCertificates()));

    public static void Map(IEndpointRouteBuilder routes)
    {
        foreach (string prefix in new[] { Root, Root + "/{label}" })
        {
            routes.Map(prefix + "/cacerts", context => Handler(context).CaCertificatesAsync(context)).WithMetadata(new EstOperationMetadata("cacerts"));
            routes.Map(prefix + "/simpleenroll", context => Handler(context).EnrollAsync(context, EnrollmentKind.Enroll)).WithMetadata(new EstOperationMetadata("simpleenroll"));
            routes.Map(prefix + "/simplereenroll", context => Handler(context).EnrollAsync(context, EnrollmentKind.Reenroll)).WithMetadata(new EstOperationMetadata("simplereenroll"));
            routes.Map(prefix + "/csrattrs", context => Handler(context).CsrAttributesAsync(context)).WithMetadata(new EstOperationMetadata("csrattrs"));
        }

        routes.Map(Root + "/{**rest}", context => Handler(context).UnknownOperationAsync(context)).WithMetadata(new EstOperationMetadata("unknown"));
    }

    private static EstEndpoints Handler(HttpContext context) => context.RequestServices.GetRequiredService<EstEndpoints>();

    private Task CaCertificatesAsync(HttpContext context)
    {
        if (Preflight(context, HttpMethods.Get, "cacerts", out _) is { } error)
        {
            return FailAsync(context, "cacerts", error);
        }

        return EstResponses.WriteEncodedAsync(context, _caCertificatesBody.Value, EstMediaTypes.CertsOnly);
    }

    /// <summary>RFC 7030 §4.5: open to all, like cacerts; what the profile wants in a CSR, generated from the profile itself.</summary>
    private Task CsrAttributesAsync(HttpContext context)
    {
        if (Preflight(context, HttpMethods.Get, "csrattrs", out CertificateProfile? profile) is { } error)
        {
            return FailAsync(context, "csrattrs", error);
        }

        return EstResponses.WriteEncodedAsync(context, EstBase64.Encode(authority.CsrAttributes(profile!)), EstMediaTypes.CsrAttrs);
    }

    private async Task EnrollAsync(HttpContext context, EnrollmentKind kind)
    {
        string operation = kind == EnrollmentKind.Enroll ? "simpleenroll" : "simplereenroll";
        if (Preflight(context, HttpMethods.Post, operation, out CertificateProfile? profile) is { } error)
        {
            await FailAsync(context, operation, error).ConfigureAwait(false);
            return;
        }

        X509Certificate2? certificate = context.Connection.ClientCertificate;
        var request = new EnrollmentRequest(kind, profile!, certificate, chains.Find(certificate),
            _ => new ValueTask<Result<byte[]>>(EstRequestBody.ReadBase64DerAsync(context, EstMediaTypes.Pkcs10, options.Value.MaxRequestBodyBytes)));
        SigningOutcome outcome = await authority.EnrollAsync(request, context.RequestAborted, lifetime.ApplicationStopping).ConfigureAwait(false);
        switch (outcome)
        {
            case SigningOutcome.Issued issued:
                await EstResponses.WriteCertsOnlyAsync(context, CertsOnlyPkcs7.Encode([issued.CertificateDer])).ConfigureAwait(false);
                break;
            case SigningOutcome.Pending pending:
                LogPending(logger, operation, Label(context), certificate?.Subject ?? "");
                await EstResponses.WriteAcceptedAsync(context, pending.RetryAfter).ConfigureAwait(false);
                break;
            case SigningOutcome.Refused refused:
                await FailAsync(context, operation, refused.Error).ConfigureAwait(false);
                break;
        }
    }

    private Task UnknownOperationAsync(HttpContext context)
    {
        string rest = context.Request.RouteValues["rest"] as string ?? "";
        string operation = rest.Split('/')[^1];
        string reason = operation switch
        {
            "" => "no EST operation given; use cacerts, csrattrs, simpleenroll or simplereenroll",
            "serverkeygen" or "fullcmc" => $"EST operation '{operation}' is not supported by this server",
            _ => $"unknown EST operation '{rest}'",
        };
        return FailAsync(context, "unknown", EstError.NotFound(reason));
    }

    /// <summary>Checks that apply to every operation: the label names a profile, and the method fits.</summary>
    private EstError? Preflight(HttpContext context, string method, string operation, out CertificateProfile? profile)
    {
        profile = null;
        context.Items[EstRequestObserver.OperationItem] = operation;
        Result<CertificateProfile> resolved = authority.ResolveProfile(Label(context));
        if (!resolved.IsSuccess)
        {
            return resolved.Error;
        }

        // Only labels that name a profile become metric label values; anything else a client sends does not.
        context.Items[EstRequestObserver.LabelItem] = Label(context) ?? "";

        // HEAD is answered wherever GET is (RFC 9110 §9.3.2); Kestrel drops the body.
        // Methods are case-sensitive (RFC 9110 §9.1): "post" is not POST.
        string requested = context.Request.Method;
        bool allowed = string.Equals(requested, method, StringComparison.Ordinal)
            || (method == HttpMethods.Get && string.Equals(requested, HttpMethods.Head, StringComparison.Ordinal));
        if (!allowed)
        {
            return EstError.MethodNotAllowed(context.Request.Method, method == HttpMethods.Get ? "GET, HEAD" : method);
        }

        profile = resolved.Value;
        return null;
    }

    private Task FailAsync(HttpContext context, string operation, EstError error) => EstRefusalWriter.WriteAsync(context, operation, error, logger);

    private static string? Label(HttpContext context) => context.Request.RouteValues["label"] as string;

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "EST {Operation} label='{Label}' for {Client} is pending; answered 202")]
    private static partial void LogPending(ILogger logger, string operation, string? label, string client);
}
