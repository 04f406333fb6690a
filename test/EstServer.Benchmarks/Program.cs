using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

// dotnet test/EstServer.Benchmarks/bin/Release/net10.0/EstServer.Benchmarks.dll --filter '*'   (scripts/bench.sh runs it)
// Times in microseconds, without units or digit grouping in the cells, so scripts can read the CSV report.
var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
culture.NumberFormat.NumberGroupSeparator = "";
IConfig config = DefaultConfig.Instance.WithSummaryStyle(
    new SummaryStyle(culture, printUnitsInHeader: true, sizeUnit: null, timeUnit: TimeUnit.Microsecond, printUnitsInContent: false));
BenchmarkSwitcher.FromAssembly(typeof(EstServer.Benchmarks.IssuanceBenchmarks).Assembly).Run(args, config);
