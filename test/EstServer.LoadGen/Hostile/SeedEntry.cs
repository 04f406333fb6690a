namespace EstServer.LoadGen.Hostile;

/// <summary>One seed of the corpus: a request body as checked in, and its DER when it decodes.</summary>
/// <remarks>
/// The name says what the default route answers the hostile device identity: valid-* is issued (200,
/// or 202), forbidden-* is 403 (it asks for something this client may not have), bad-* is 400.
/// </remarks>
public sealed record SeedEntry(string Name, byte[] Body, byte[]? Der)
{
    public bool Valid => Name.StartsWith("valid-", StringComparison.Ordinal);

    public bool Forbidden => Name.StartsWith("forbidden-", StringComparison.Ordinal);
}
