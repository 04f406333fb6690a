namespace EstServer.LoadGen.Hostile;

/// <summary>
/// How a slow client writes its request: <see cref="SendFirst"/> bytes at once, then
/// <see cref="ChunkSize"/> bytes every <see cref="Interval"/>, or nothing more at all when
/// <see cref="Stall"/> (it just keeps the connection open). The pauses are the case, not synchronisation.
/// </summary>
public sealed record CasePacing(int SendFirst, int ChunkSize, TimeSpan Interval, bool Stall);
