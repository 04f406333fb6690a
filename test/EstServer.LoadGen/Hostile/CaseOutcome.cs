using System.Globalization;

namespace EstServer.LoadGen.Hostile;

/// <summary>What happened to one case.</summary>
public sealed record CaseOutcome(OutcomeKind Kind, int Status, TimeSpan Elapsed, string Detail)
{
    public static CaseOutcome Answered(int status, TimeSpan elapsed, string detail) => new(OutcomeKind.Status, status, elapsed, detail);

    public static CaseOutcome Closed(TimeSpan elapsed, string detail) => new(OutcomeKind.ClosedByServer, 0, elapsed, detail);

    public static CaseOutcome Hung(TimeSpan elapsed) => new(OutcomeKind.Hang, 0, elapsed, "no response and the connection still open");

    public static CaseOutcome Failed(TimeSpan elapsed, string detail) => new(OutcomeKind.ClientFailure, 0, elapsed, detail);

    /// <summary>The bucket in the per-status counts: the status code, or closed, hang, client-failure.</summary>
    public string Key => Kind switch
    {
        OutcomeKind.Status => Status.ToString(CultureInfo.InvariantCulture),
        OutcomeKind.ClosedByServer => "closed",
        OutcomeKind.Hang => "hang",
        _ => "client-failure",
    };

    public override string ToString() => Kind == OutcomeKind.Status ? $"{Status} ({Detail})" : $"{Key} ({Detail})";
}
