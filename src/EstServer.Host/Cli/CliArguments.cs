namespace EstServer.Host.Cli;

/// <summary>
/// A verb's arguments sorted into positionals, its own --options (each with a value) and configuration
/// settings (--Est:Name=value, --Est:Name value, Est:Name=value), which go to the configuration as on
/// the server. An unknown option or one without a value is a usage error, never ignored.
/// </summary>
public sealed class CliArguments
{
    private CliArguments(IReadOnlyList<string> positional, IReadOnlyDictionary<string, string> options, IReadOnlyList<string> configuration)
    {
        Positional = positional;
        Options = options;
        Configuration = configuration;
    }

    public IReadOnlyList<string> Positional { get; }

    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>Settings for <c>AddCommandLine</c>, in their original form.</summary>
    public IReadOnlyList<string> Configuration { get; }

    public string? Option(string name) => Options.TryGetValue(name, out string? value) ? value : null;

    public static bool TryParse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, out CliArguments parsed, out string problem)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var configuration = new List<string>();
        parsed = new CliArguments(positional, options, configuration);
        problem = "";
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (IsSetting(arg))
            {
                configuration.Add(arg);
                if (arg.StartsWith("--", StringComparison.Ordinal) && !arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count)
                {
                    configuration.Add(args[++i]);
                }
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (!valueOptions.Contains(arg))
                {
                    problem = $"unknown option '{arg}'";
                    return false;
                }

                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    problem = $"option {arg} needs a value";
                    return false;
                }

                if (!options.TryAdd(arg, args[++i]))
                {
                    problem = $"option {arg} is given twice";
                    return false;
                }
            }
            else
            {
                positional.Add(arg);
            }
        }

        return true;
    }

    private static bool IsSetting(string arg) =>
        arg.StartsWith("--Est:", StringComparison.OrdinalIgnoreCase)
        || (arg.StartsWith("Est:", StringComparison.OrdinalIgnoreCase) && arg.Contains('=', StringComparison.Ordinal));
}
