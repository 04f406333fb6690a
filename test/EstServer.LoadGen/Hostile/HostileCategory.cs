namespace EstServer.LoadGen.Hostile;

/// <summary>A kind of hostile request: its name, how often it is drawn, and how one is made.</summary>
public sealed record HostileCategory(string Name, double Weight, Func<CaseContext, HostileCase> Build);
