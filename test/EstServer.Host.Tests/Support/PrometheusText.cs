using System.Globalization;
using System.Text.RegularExpressions;

namespace EstServer.Host.Tests.Support;

/// <summary>
/// Reads the Prometheus text exposition format (what /metrics answers): one sample per line,
/// name{label="value",...} value. Tests compare samples before and after their own requests, since the
/// metrics live in one registry for the whole test process.
/// </summary>
internal sealed partial class PrometheusText
{
    private readonly List<Sample> _samples = [];

    private PrometheusText()
    {
    }

    public IReadOnlyList<Sample> Samples => _samples;

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            Match match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"not a Prometheus sample line: {line}");
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels.Add(label.Groups["name"].Value, label.Groups["value"].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal));
            }

            result._samples.Add(new Sample(match.Groups["name"].Value, labels, Number(match.Groups["value"].Value)));
        }

        return result;
    }

    /// <summary>The value of the sample with exactly these labels; 0 when there is none (a counter not incremented yet).</summary>
    public double Value(string name, params (string Name, string Value)[] labels) =>
        Find(name, labels)?.Value ?? 0;

    public Sample? Find(string name, params (string Name, string Value)[] labels) =>
        _samples.SingleOrDefault(sample => sample.Name == name
            && sample.Labels.Count == labels.Length
            && labels.All(label => sample.Labels.TryGetValue(label.Name, out string? value) && value == label.Value));

    private static double Number(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPair();

    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
