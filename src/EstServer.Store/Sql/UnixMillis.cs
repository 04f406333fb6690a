namespace EstServer.Store.Sql;

/// <summary>Times as both schemas keep them: UTC unix milliseconds (sub-millisecond precision is dropped).</summary>
internal static class UnixMillis
{
    public static long From(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset To(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}
