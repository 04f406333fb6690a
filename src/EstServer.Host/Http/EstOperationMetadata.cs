namespace EstServer.Host.Http;

/// <summary>
/// Marks an endpoint as an EST resource and names its operation. Middleware that must treat EST
/// requests specially (rate limits, metrics, log scope) asks the matched endpoint rather than
/// re-parsing the path, which routing matches case-insensitively and with or without a trailing slash.
/// </summary>
public sealed record EstOperationMetadata(string Operation)
{
    public static string? Of(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<EstOperationMetadata>()?.Operation;
}
