using EstServer.Core.Errors;
using EstServer.Core.Lifecycle;
using EstServer.Host.Configuration;
using EstServer.Host.Http;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Admin;

/// <summary>
/// /admin/v1: list, show and revoke certificates, block and unblock devices, read the audit trail, for
/// TLS clients with an admin-CA certificate. Each request goes the same way: off (404) → authenticated
/// (401/403) → method (405) → the action, whose refusals are values answered in one place; the store
/// being down is a 503 with Retry-After. Routes accept any method so a wrong one gets a reason.
/// </summary>
public sealed class AdminEndpoints(
    ICertificateAdmin store,
    IServiceProvider services,
    IOptions<EstOptions> options,
    TimeProvider time,
    ILogger<AdminEndpoints> logger)
{
    public const string Root = "/admin/v1";

    private const string Operation = "admin";

    private static readonly string[] SearchParameters = ["device", "subject", "profile", "status", "expiringWithin", "limit"];

    private delegate Task<Result<AdminReply>> Action(AdminEndpoints handler, HttpContext context, string actor);

    public static void Map(IEndpointRouteBuilder routes)
    {
        // Read the admin CA now, inside start-up's error handling, so a bad file stops start-up.
        if (routes.ServiceProvider.GetRequiredService<IOptions<EstOptions>>().Value.Admin.IsEnabled)
        {
            _ = routes.ServiceProvider.GetRequiredService<AdminAuthenticator>();
        }

        MapRoute(routes, "/certificates", HttpMethods.Get, static (h, c, _) => Task.FromResult(h.Search(c)));
        MapRoute(routes, "/certificates/{serial}", HttpMethods.Get, static (h, c, _) => Task.FromResult(h.Show(c)));
        MapRoute(routes, "/certificates/{serial}/revoke", HttpMethods.Post, static (h, c, actor) => h.RevokeAsync(c, actor));
        MapRoute(routes, "/devices/{identity}/block", HttpMethods.Post, static (h, c, actor) => h.BlockAsync(c, actor));
        MapRoute(routes, "/devices/{identity}/unblock", HttpMethods.Post, static (h, c, actor) => Task.FromResult(h.Unblock(c, actor)));
        MapRoute(routes, "/audit", HttpMethods.Get, static (h, c, _) => Task.FromResult(h.Audit(c)));
        MapRoute(routes, "/{**rest}", method: null, static (_, c, _) => Task.FromResult<Result<AdminReply>>(EstError.NotFound($"unknown admin route '{c.Request.Path}'")));
        MapRoute(routes, "", method: null, static (_, c, _) => Task.FromResult<Result<AdminReply>>(EstError.NotFound($"unknown admin route '{c.Request.Path}'")));
    }

    private static void MapRoute(IEndpointRouteBuilder routes, string path, string? method, Action action) =>
        routes.Map(Root + path, context => context.RequestServices.GetRequiredService<AdminEndpoints>().HandleAsync(context, method, action));

    private async Task HandleAsync(HttpContext context, string? method, Action action)
    {
        Result<AdminReply> reply;
        if (!options.Value.Admin.IsEnabled)
        {
            reply = EstError.NotFound("admin API is off (set Est:Admin:CaPath)");
        }
        else if (!services.GetRequiredService<AdminAuthenticator>().Authenticate(context.Connection.ClientCertificate).TryGetValue(out string? actor, out EstError? refused))
        {
            reply = refused;
        }
        else if (method is not null && !IsMethod(context.Request.Method, method))
        {
            reply = EstError.MethodNotAllowed(context.Request.Method, method == HttpMethods.Get ? "GET, HEAD" : method);
        }
        else
        {
            try
            {
                reply = await action(this, context, actor).ConfigureAwait(false);
            }
            catch (StoreUnavailableException exception)
            {
                // The reason stays generic: the exception may name hosts or files the client need not see.
                logger.LogWarning(exception, "Admin {Method} {Path}: the certificate store is unavailable", context.Request.Method, context.Request.Path);
                reply = EstError.Unavailable("the certificate store is unavailable; try again later", options.Value.RetryAfter);
            }
        }

        if (reply.TryGetValue(out AdminReply? answer, out EstError? error))
        {
            await answer.WriteAsync(context).ConfigureAwait(false);
        }
        else
        {
            await EstRefusalWriter.WriteAsync(context, Operation, error, logger).ConfigureAwait(false);
        }
    }

    private Result<AdminReply> Search(HttpContext context)
    {
        IQueryCollection query = context.Request.Query;
        if (query.Keys.FirstOrDefault(key => !SearchParameters.Contains(key, StringComparer.Ordinal)) is { } unknown)
        {
            return EstError.BadRequest($"unknown query parameter '{unknown}'; use {string.Join(", ", SearchParameters)}");
        }

        Result<CertificateQuery> parsed = AdminQueryParser.Parse(
            query["device"], query["subject"], query["profile"], query["status"], query["expiringWithin"], query["limit"], time.GetUtcNow());
        if (!parsed.TryGetValue(out CertificateQuery? search, out EstError? error))
        {
            return error;
        }

        IReadOnlyList<CertificateJson> found = store.Search(search, time.GetUtcNow()).Select(record => CertificateJson.From(record)).ToList();
        return AdminReply.Of(found, AdminJsonContext.Default.IReadOnlyListCertificateJson);
    }

    private Result<AdminReply> Show(HttpContext context)
    {
        if (!TrySerial(context, out string serial, out EstError? error))
        {
            return error;
        }

        return store.Get(serial) is { } record
            ? AdminReply.Of(CertificateJson.From(record, withPem: true), AdminJsonContext.Default.CertificateJson)
            : UnknownSerial(serial);
    }

    private async Task<Result<AdminReply>> RevokeAsync(HttpContext context, string actor)
    {
        if (!TrySerial(context, out string serial, out EstError? error))
        {
            return error;
        }

        if (!(await AdminRequestBody.ReadAsync(context, AdminJsonContext.Default.RevokeRequestJson, new RevokeRequestJson()).ConfigureAwait(false))
            .TryGetValue(out RevokeRequestJson? body, out error))
        {
            return error;
        }

        if (!TryReason(body.Reason, RevocationReason.Unspecified, "reason", out RevocationReason reason, out error))
        {
            return error;
        }

        switch (store.Revoke(serial, reason, time.GetUtcNow(), actor))
        {
            case RevokeResult.Revoked revoked:
                AdminAuditLog.Changed(logger, actor, "revoke", SerialNumber.ToOpenSsl(serial),
                    revoked.WasAlreadyRevoked ? $"already revoked ({RevocationReasons.Name(revoked.Record.RevocationReason ?? RevocationReason.Unspecified)})" : RevocationReasons.Name(reason));
                return AdminReply.Of(CertificateJson.From(revoked.Record) with { WasAlreadyRevoked = revoked.WasAlreadyRevoked }, AdminJsonContext.Default.CertificateJson);
            default:
                return UnknownSerial(serial);
        }
    }

    private async Task<Result<AdminReply>> BlockAsync(HttpContext context, string actor)
    {
        if (!TryIdentity(context, out string identity, out EstError? error))
        {
            return error;
        }

        if (!(await AdminRequestBody.ReadAsync(context, AdminJsonContext.Default.BlockRequestJson, new BlockRequestJson()).ConfigureAwait(false))
            .TryGetValue(out BlockRequestJson? body, out error))
        {
            return error;
        }

        if (!TryReason(body.RevocationReason, RevocationReason.CessationOfOperation, "revocationReason", out RevocationReason revocationReason, out error))
        {
            return error;
        }

        string reason = string.IsNullOrWhiteSpace(body.Reason) ? "blocked by admin" : body.Reason.Trim().ReplaceLineEndings(" ");
        DeviceBlock block = store.Block(identity, reason, revocationReason, time.GetUtcNow(), actor);
        AdminAuditLog.Changed(logger, actor, "block", identity, $"{block.Reason}; revoked {block.RevokedSerials.Count} certificate(s) ({RevocationReasons.Name(revocationReason)})");
        return AdminReply.Of(DeviceBlockJson.From(block), AdminJsonContext.Default.DeviceBlockJson);
    }

    private Result<AdminReply> Unblock(HttpContext context, string actor)
    {
        if (!TryIdentity(context, out string identity, out EstError? error))
        {
            return error;
        }

        if (!store.Unblock(identity, time.GetUtcNow(), actor))
        {
            return EstError.NotFound($"device {identity} is not blocked");
        }

        AdminAuditLog.Changed(logger, actor, "unblock", identity, "block lifted");
        return AdminReply.Of(new UnblockJson(identity, Unblocked: true), AdminJsonContext.Default.UnblockJson);
    }

    private Result<AdminReply> Audit(HttpContext context)
    {
        if (!AdminQueryParser.TryParseLimit(context.Request.Query["limit"], out int limit))
        {
            return EstError.BadRequest($"limit must be a whole number from 1 to {CertificateQuery.MaxLimit}, not '{context.Request.Query["limit"]}'");
        }

        IReadOnlyList<AuditEntryJson> rows = store.AuditTrail(limit).Select(AuditEntryJson.From).ToList();
        return AdminReply.Of(rows, AdminJsonContext.Default.IReadOnlyListAuditEntryJson);
    }

    private static bool TrySerial(HttpContext context, out string serial, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out EstError? error)
    {
        string text = context.Request.RouteValues["serial"] as string ?? "";
        error = SerialNumber.TryNormalize(text, out serial) ? null : EstError.BadRequest($"'{text}' is not a certificate serial number (hex, as openssl prints it)");
        return error is null;
    }

    private static bool TryIdentity(HttpContext context, out string identity, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out EstError? error)
    {
        string text = context.Request.RouteValues["identity"] as string ?? "";
        error = DeviceIdentityText.TryNormalize(text, out identity) ? null : EstError.BadRequest($"'{text}' is not a device identity");
        return error is null;
    }

    private static bool TryReason(string? text, RevocationReason fallback, string field, out RevocationReason reason, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out EstError? error)
    {
        reason = fallback;
        error = string.IsNullOrWhiteSpace(text) || RevocationReasons.TryParse(text, out reason)
            ? null
            : EstError.BadRequest($"unknown {field} '{text}'; use one of {RevocationReasons.Choices}");
        return error is null;
    }

    private static EstError UnknownSerial(string serial) => EstError.NotFound($"no certificate with serial {SerialNumber.ToOpenSsl(serial)}");

    private static bool IsMethod(string requested, string method) =>
        string.Equals(requested, method, StringComparison.Ordinal)
        || (method == HttpMethods.Get && string.Equals(requested, HttpMethods.Head, StringComparison.Ordinal));
}
