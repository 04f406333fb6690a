using System.Globalization;

namespace EstServer.LoadGen;

/// <summary>What one run measured.</summary>
public sealed record LoadResult(string Name, LoadOptions Options, int Ok, double Seconds, IReadOnlyList<double> LatenciesMs, IReadOnlyDictionary<string, int> Failures, string Verified)
{
    public double Throughput => Ok / Seconds;

    /// <summary>CSRs the generator had to make mid-run because the pool was too small (0 when --csr-pool fits the run).</summary>
    public long CsrsMintedDuringRun { get; init; }

    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = LatenciesMs.Order().ToArray();
        int index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    /// <summary>One machine-readable line (bench.sh builds its table from these).</summary>
    public string ToLine()
    {
        string failures = Failures.Count == 0 ? "-" : string.Join(",", Failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}:{f.Value}"));
        string mode = Options.Mode.ToString().ToLowerInvariant();
        string transport = Options.KeepAlive ? "keep-alive" : "new-connection";
        return string.Create(CultureInfo.InvariantCulture,
            $"RESULT name={Name} mode={mode} transport={transport} concurrency={Options.Concurrency} rate={(Options.Rate > 0 ? Options.Rate.ToString("0", CultureInfo.InvariantCulture) : "closed")} ok={Ok} seconds={Seconds:0.00} rps={Throughput:0.0} p50={Percentile(50):0.00} p90={Percentile(90):0.00} p99={Percentile(99):0.00} max={Percentile(100):0.00} failures={failures} verified={Verified} csrs_minted_in_run={CsrsMintedDuringRun}");
    }
}
