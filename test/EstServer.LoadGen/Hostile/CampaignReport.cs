using System.Globalization;
using System.Text;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// The campaign's counts: per outcome class, per status, per category; the cases whose outcome was not
/// the expected one; the legitimate device's successes and failures; whether the server still answered
/// /healthz afterwards. Thread-safe while recording.
/// </summary>
public sealed class CampaignReport
{
    /// <summary>Examples kept per category, so one noisy category does not hide another.</summary>
    private const int UnexpectedKeptPerCategory = 5;

    private readonly object _lock = new();
    private readonly SortedDictionary<string, int> _byStatus = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SortedDictionary<string, int>> _byCategory = new(StringComparer.Ordinal);
    private readonly List<UnexpectedOutcome> _unexpected = [];
    private readonly Dictionary<string, int> _unexpectedPerCategory = new(StringComparer.Ordinal);
    private readonly List<double> _slowCaseSeconds = [];

    public CampaignReport(long seed) => Seed = seed;

    public long Seed { get; }

    public int Cases { get; private set; }

    public int Success2xx { get; private set; }

    public int Client4xx { get; private set; }

    public int Server5xx { get; private set; }

    /// <summary>505 to an unknown HTTP version: correct, so not counted in <see cref="Server5xx"/>.</summary>
    public int VersionNotSupported { get; private set; }

    /// <summary>1xx or 3xx finals: never expected from this server.</summary>
    public int OtherStatus { get; private set; }

    public int ClosedByServer { get; private set; }

    public int Hangs { get; private set; }

    public int ClientFailures { get; private set; }

    public int Unexpected { get; private set; }

    public int LegitOk { get; set; }

    public int LegitFailed { get; set; }

    public IReadOnlyDictionary<string, int> LegitFailures { get; set; } = new Dictionary<string, int>();

    public double LegitP50Ms { get; set; } = double.NaN;

    public double LegitMaxMs { get; set; } = double.NaN;

    /// <summary>Whether GET /healthz answered 200 after the campaign (null: not checked).</summary>
    public bool? HealthyAfter { get; set; }

    public TimeSpan Elapsed { get; set; }

    public string Notes { get; set; } = "";

    public IReadOnlyDictionary<string, int> ByStatus => _byStatus;

    public IReadOnlyDictionary<string, SortedDictionary<string, int>> ByCategory => _byCategory;

    public IReadOnlyList<UnexpectedOutcome> UnexpectedSamples => _unexpected;

    public bool Passed =>
        Server5xx == 0 && Hangs == 0 && Unexpected == 0 && ClientFailures == 0 && OtherStatus == 0
        && LegitFailed == 0 && LegitOk > 0 && HealthyAfter != false;

    public void Record(HostileCase hostileCase, CaseOutcome outcome)
    {
        lock (_lock)
        {
            Cases++;
            string key = outcome.Key;
            _byStatus[key] = _byStatus.GetValueOrDefault(key) + 1;
            if (!_byCategory.TryGetValue(hostileCase.Category, out SortedDictionary<string, int>? counts))
            {
                counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
                _byCategory[hostileCase.Category] = counts;
            }

            counts[key] = counts.GetValueOrDefault(key) + 1;
            switch (outcome.Kind)
            {
                case OutcomeKind.Status when outcome.Status is >= 200 and < 300:
                    Success2xx++;
                    break;
                case OutcomeKind.Status when outcome.Status is >= 400 and < 500:
                    Client4xx++;
                    break;
                case OutcomeKind.Status when outcome.Status == 505 && hostileCase.Expected.Statuses.Contains(505):
                    // HTTP Version Not Supported, to a request line with an unknown version: the right
                    // answer (RFC 9110 §15.6.6), not a server error; listed under STATUS, not under 5xx.
                    VersionNotSupported++;
                    break;
                case OutcomeKind.Status when outcome.Status >= 500:
                    Server5xx++;
                    break;
                case OutcomeKind.Status:
                    OtherStatus++;
                    break;
                case OutcomeKind.ClosedByServer:
                    ClosedByServer++;
                    break;
                case OutcomeKind.Hang:
                    Hangs++;
                    break;
                default:
                    ClientFailures++;
                    break;
            }

            if (hostileCase.IsSlow)
            {
                _slowCaseSeconds.Add(outcome.Elapsed.TotalSeconds);
            }

            if (!hostileCase.Expected.Allows(outcome))
            {
                Unexpected++;
                int kept = _unexpectedPerCategory.GetValueOrDefault(hostileCase.Category);
                _unexpectedPerCategory[hostileCase.Category] = kept + 1;
                if (kept < UnexpectedKeptPerCategory)
                {
                    _unexpected.Add(new UnexpectedOutcome(hostileCase.Index, hostileCase.Category, hostileCase.Description, hostileCase.RequestLine, hostileCase.Identity, hostileCase.Expected, outcome));
                }
            }
        }
    }

    /// <summary>CAMPAIGN cases=… 2xx=… 4xx=… 5xx=… closed=… hangs=… legit_ok=… legit_failed=… (one line, machine-readable).</summary>
    public string SummaryLine() => string.Create(CultureInfo.InvariantCulture,
        $"CAMPAIGN cases={Cases} seed={Seed} seconds={Elapsed.TotalSeconds:0.0} 2xx={Success2xx} 4xx={Client4xx} 5xx={Server5xx} 505_version={VersionNotSupported} closed={ClosedByServer} hangs={Hangs} other={OtherStatus} client_failures={ClientFailures} unexpected={Unexpected} categories={_byCategory.Count} legit_ok={LegitOk} legit_failed={LegitFailed} healthz={(HealthyAfter switch { true => "ok", false => "FAILED", _ => "unchecked" })} result={(Passed ? "PASS" : "FAIL")}");

    public IEnumerable<string> Lines()
    {
        yield return SummaryLine();
        yield return "STATUS " + Join(_byStatus);
        foreach ((string category, SortedDictionary<string, int> counts) in _byCategory)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"CATEGORY {category,-36} cases={counts.Values.Sum(),-5} {Join(counts)}");
        }

        if (_slowCaseSeconds.Count > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"SLOW cases={_slowCaseSeconds.Count} closed_or_answered_after_s: min={_slowCaseSeconds.Min():0.0} max={_slowCaseSeconds.Max():0.0}");
        }

        yield return string.Create(CultureInfo.InvariantCulture,
            $"LEGIT ok={LegitOk} failed={LegitFailed} p50_ms={LegitP50Ms:0.0} max_ms={LegitMaxMs:0.0}{(LegitFailures.Count == 0 ? "" : " failures=" + string.Join("; ", LegitFailures.Select(f => $"{f.Value}x {f.Key}")))}");
        if (Notes.Length > 0)
        {
            yield return "NOTE " + Notes;
        }

        foreach ((string category, int count) in _unexpectedPerCategory.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"UNEXPECTED-COUNT {category} {count}");
        }

        foreach (UnexpectedOutcome unexpected in _unexpected.OrderBy(u => u.Category, StringComparer.Ordinal).ThenBy(u => u.Index))
        {
            yield return unexpected.ToString();
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (string line in Lines())
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }

    private static string Join(IEnumerable<KeyValuePair<string, int>> counts) =>
        string.Join(" ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value}")));
}
