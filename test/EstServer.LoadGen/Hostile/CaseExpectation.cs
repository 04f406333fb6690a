using System.Globalization;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// The outcomes a case may have: a set of status codes, and whether the server may instead close the
/// connection without answering (protocol garbage, slow clients). The only 2xx ever expected are
/// <see cref="Accepted"/>: 200 (the certificate, or cacerts/csrattrs) and 202 (accepted, signer
/// slower than the wait budget), for requests that are valid after all (see HostileCaseGenerator).
/// </summary>
public sealed record CaseExpectation(IReadOnlySet<int> Statuses, bool MayClose)
{
    public static readonly IReadOnlySet<int> Accepted = new HashSet<int> { 200, 202 };

    /// <summary>A valid enrollment: the certificate (200) or "come back later" (202).</summary>
    public static CaseExpectation Enrolled { get; } = new(Accepted, false);

    /// <summary>A read-only resource (cacerts, csrattrs): 200.</summary>
    public static CaseExpectation Ok { get; } = new(new HashSet<int> { 200 }, false);

    public static CaseExpectation Exactly(params int[] statuses) => new(statuses.ToHashSet(), false);

    /// <summary>One of the statuses, or the server closes the connection without an answer.</summary>
    public static CaseExpectation OrClosed(params int[] statuses) => new(statuses.ToHashSet(), true);

    public bool IsSuccessExpected => Statuses.Overlaps(Accepted);

    public bool Allows(CaseOutcome outcome) => outcome.Kind switch
    {
        OutcomeKind.Status => Statuses.Contains(outcome.Status),
        OutcomeKind.ClosedByServer => MayClose,
        _ => false,
    };

    public CaseExpectation With(params int[] more) => this with { Statuses = Statuses.Concat(more).ToHashSet() };

    public override string ToString() =>
        string.Join("|", Statuses.Order().Select(s => s.ToString(CultureInfo.InvariantCulture))) + (MayClose ? "|closed" : "");
}
