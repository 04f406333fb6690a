namespace EstServer.EndToEnd.Tests.Support;

/// <summary>Edits of a live profile directory, made the way a careful deployment makes them.</summary>
public static class ProfileFiles
{
    /// <summary>
    /// Replaces <paramref name="path"/> in one rename, so the server's poll never reads half a file (a name
    /// starting with '.' and not ending in .yaml is not a profile file).
    /// </summary>
    public static void ReplaceAtomically(string path, string content)
    {
        string scratch = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp");
        File.WriteAllText(scratch, content);
        File.Move(scratch, path, overwrite: true);
    }

    /// <summary>The 1-based number of the first line of <paramref name="text"/> that starts with <paramref name="prefix"/>.</summary>
    public static int LineStartingWith(string text, string prefix)
    {
        string[] lines = text.Split('\n');
        int index = Array.FindIndex(lines, line => line.StartsWith(prefix, StringComparison.Ordinal));
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"a line starting with '{prefix}' in\n{text}");
        return index + 1;
    }
}
