namespace EstServer.Core.Lifecycle;

/// <summary>The kinds a record names (the EST operation that issued it).</summary>
public static class IssuanceKinds
{
    public const string Enroll = "enroll";

    public const string Reenroll = "reenroll";
}
