using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>What `openssl x509 -text -noout` says about a certificate: an independent reading of what was issued.</summary>
public static partial class OpensslText
{
    /// <summary>The -text output with every line trimmed of its indentation and trailing blanks, lines joined by LF.</summary>
    public static async Task<string> X509Async(X509Certificate2 certificate)
    {
        using TempDirectory directory = new TempDirectory("openssl");
        string file = directory.Combine("issued.pem");
        await File.WriteAllTextAsync(file, certificate.ExportCertificatePem()).ConfigureAwait(false);
        CommandResult text = await CommandRunner.RunAsync("openssl", ["x509", "-in", file, "-noout", "-text"], directory.Path).ConfigureAwait(false);
        Assert.That(text.ExitCode, Is.Zero, text.ToString());
        return Normalize(text.StandardOutput);
    }

    public static string Normalize(string output) =>
        string.Join('\n', output.ReplaceLineEndings("\n").Split('\n').Select(line => line.Trim())) + "\n";

    /// <summary>The "Not Before:" or "Not After :" time of normalized -text output.</summary>
    public static DateTime ValidityTime(string normalizedText, string field)
    {
        Match match = Regex.Match(normalizedText, "^" + Regex.Escape(field) + @"\s*:\s*(?<time>.+ GMT)$", RegexOptions.Multiline);
        Assert.That(match.Success, Is.True, $"openssl printed {field}:\n{normalizedText}");
        string time = Whitespace().Replace(match.Groups["time"].Value, " ");
        return DateTime.ParseExact(time, "MMM d HH:mm:ss yyyy 'GMT'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
