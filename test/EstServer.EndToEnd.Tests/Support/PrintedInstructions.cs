namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// The enrollment walk-through the server prints at start: the "EstServer is ready: URL" line and the
/// shell commands after it (lines indented by exactly two spaces; log continuation lines have six).
/// </summary>
public sealed record PrintedInstructions(Uri EstRoot, IReadOnlyList<string> Commands)
{
    public const string ReadyMarker = "EstServer is ready: ";

    /// <summary>The last command printed, so once it is seen the whole block has been.</summary>
    public static bool IsLastLine(string line) => IsCommand(line) && line.Contains("/simplereenroll", StringComparison.Ordinal);

    public static PrintedInstructions Parse(IReadOnlyList<string> lines)
    {
        int ready = lines.ToList().FindIndex(line => line.StartsWith(ReadyMarker, StringComparison.Ordinal));
        Assert.That(ready, Is.GreaterThanOrEqualTo(0), "the server printed its ready line");
        var root = new Uri(lines[ready][ReadyMarker.Length..].Trim());
        var commands = new List<string>();
        for (int i = ready + 1; i < lines.Count; i++)
        {
            if (IsCommand(lines[i]))
            {
                commands.Add(lines[i][2..]);
                if (IsLastLine(lines[i]))
                {
                    break;
                }
            }
        }

        return new PrintedInstructions(root, commands);
    }

    private static bool IsCommand(string line) => line.Length > 2 && line.StartsWith("  ", StringComparison.Ordinal) && !char.IsWhiteSpace(line[2]);
}
