using Microsoft.AspNetCore.Http.Features;

namespace EstServer.Host.Tests.Support;

/// <summary>The server's per-request body size limit, as Kestrel exposes it.</summary>
internal sealed class MaxRequestBodySizeFeature(long? limit, bool isReadOnly) : IHttpMaxRequestBodySizeFeature
{
    public bool IsReadOnly { get; } = isReadOnly;

    public long? MaxRequestBodySize { get; set; } = limit;
}
