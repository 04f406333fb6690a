namespace EstServer.LoadGen.Hostile;

/// <summary>A response as read off the wire: the final status, the start of its body, and whether the connection can carry another request.</summary>
public sealed record ParsedResponse(int Status, string BodyStart, bool KeepAlive, IReadOnlyDictionary<string, string> Headers);
