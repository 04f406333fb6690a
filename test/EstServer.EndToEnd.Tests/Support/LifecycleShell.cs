using System.Globalization;
using System.Text.RegularExpressions;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// A relying party's and an operator's shell next to a running server: openssl and curl run with bash in
/// one working directory (files are named there), pointed at what the certificates themselves say (CDP,
/// AIA), and the estserver admin verbs run as the built binary on the server's data directory.
/// </summary>
public sealed partial class LifecycleShell(string workingDirectory, string configDirectory, string dataDirectory)
{
    /// <summary>How long a revocation may take to reach OCSP and the CRL (publisher every 2 s, caches 1 s).</summary>
    public static readonly TimeSpan RevocationDeadline = TimeSpan.FromSeconds(5);

    public string WorkingDirectory { get; } = workingDirectory;

    public string ConfigDirectory { get; } = configDirectory;

    public string DataDirectory { get; } = dataDirectory;

    public string PkiDirectory => Path.Combine(DataDirectory, "dev-pki");

    public string TrustAnchor => Path.Combine(PkiDirectory, "trust-anchor.pem");

    public string IssuingCa => Path.Combine(PkiDirectory, "issuing-ca.pem");

    /// <summary>The shell for a server started by <see cref="StartServerAsync"/> (or any binary server with its own config directory).</summary>
    public static LifecycleShell For(EstTestServer server, string configDirectory) => new(server.WorkingDirectory, configDirectory, server.DataDir);

    /// <summary>
    /// The built binary in <paramref name="workingDirectory"/> (its ./data the data directory) with an empty
    /// config directory beside it, its CRL/OCSP listener on <paramref name="httpUrl"/>, so the CDP and AIA
    /// of what it issues name a reachable address.
    /// </summary>
    public static Task<EstTestServer> StartServerAsync(string workingDirectory, string httpUrl, params string[] settings)
    {
        Directory.CreateDirectory(workingDirectory);
        Directory.CreateDirectory(ConfigDirectoryOf(workingDirectory));
        return EstTestServer.StartAsync(new()
        {
            Binary = true,
            Purpose = "lifecycle",
            WorkingDirectory = workingDirectory,
            ConfigDirectory = ConfigDirectoryOf(workingDirectory),
            Settings = ["--Est:Revocation:HttpUrl", httpUrl, .. settings],
        });
    }

    /// <summary>The config directory <see cref="StartServerAsync"/> gives a server in <paramref name="workingDirectory"/>.</summary>
    public static string ConfigDirectoryOf(string workingDirectory) => Path.Combine(workingDirectory, "config");

    public string PathOf(string file) => Path.Combine(WorkingDirectory, file);

    public Task<CommandResult> BashAsync(string command) => CommandRunner.BashAsync(command, WorkingDirectory);

    public async Task<CommandResult> BashOkAsync(string command)
    {
        CommandResult result = await BashAsync(command).ConfigureAwait(false);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return result;
    }

    /// <summary>estserver VERB ... on the server's data directory, as an operator on the same machine runs it.</summary>
    public Task<CommandResult> EstServerAsync(params string[] arguments) =>
        CommandRunner.EstServerAsync(WorkingDirectory, ConfigDirectory, [.. arguments, "--Est:DataDir=" + DataDirectory]);

    /// <summary>
    /// The README's enrollment: a new P-256 key and CSR (NAME.key, NAME.csr.b64), curl to simpleenroll with
    /// the IDevID, the PKCS#7 answer unpacked into NAME.pem. Returns curl's result: stdout is the HTTP status.
    /// </summary>
    public async Task<CommandResult> EnrollAsync(Uri estBase, string name, string idevidCertificate, string idevidKey)
    {
        await BashOkAsync(
            $"openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj \"/CN={name}\" -keyout {name}.key -outform DER -out {name}.csr"
            + $" && openssl base64 -in {name}.csr -out {name}.csr.b64").ConfigureAwait(false);
        CommandResult curl = await BashAsync(
            $"curl -sS --cacert {TrustAnchor} --cert {idevidCertificate} --key {idevidKey} -H \"Content-Type: application/pkcs10\""
            + $" --data-binary @{name}.csr.b64 -o {name}.p7.b64 -w \"%{{http_code}}\" {estBase}.well-known/est/simpleenroll").ConfigureAwait(false);
        if (curl.ExitCode == 0 && curl.StandardOutput.Trim() == "200")
        {
            await BashOkAsync($"openssl base64 -d -in {name}.p7.b64 | openssl pkcs7 -inform DER -print_certs -out {name}.pem").ConfigureAwait(false);
        }

        return curl;
    }

    /// <summary><see cref="EnrollAsync"/> that must succeed.</summary>
    public async Task EnrollOkAsync(Uri estBase, string name, string idevidCertificate, string idevidKey)
    {
        CommandResult curl = await EnrollAsync(estBase, name, idevidCertificate, idevidKey).ConfigureAwait(false);
        Assert.That((curl.ExitCode, curl.StandardOutput.Trim()), Is.EqualTo((0, "200")), $"{curl}\n{await File.ReadAllTextAsync(PathOf(name + ".p7.b64")).ConfigureAwait(false)}");
    }

    /// <summary>The serial as `openssl x509 -serial` prints it (upper-case hex after "serial=").</summary>
    public async Task<string> SerialAsync(string name)
    {
        CommandResult serial = await BashOkAsync($"openssl x509 -in {name}.pem -noout -serial").ConfigureAwait(false);
        Assert.That(serial.StandardOutput, Does.StartWith("serial="), serial.ToString());
        return serial.StandardOutput.Trim()["serial=".Length..];
    }

    public async Task<string> X509TextAsync(string name) =>
        OpensslText.Normalize((await BashOkAsync($"openssl x509 -in {name}.pem -noout -text").ConfigureAwait(false)).StandardOutput);

    /// <summary>The OCSP URI of the certificate's AIA, as openssl reads it.</summary>
    public async Task<Uri> OcspUrlAsync(string name)
    {
        CommandResult uri = await BashOkAsync($"openssl x509 -in {name}.pem -noout -ocsp_uri").ConfigureAwait(false);
        return new Uri(uri.StandardOutput.Trim());
    }

    /// <summary>The (single) URI of the certificate's CRL distribution point, as openssl prints it.</summary>
    public async Task<Uri> CrlUrlAsync(string name)
    {
        string text = await X509TextAsync(name).ConfigureAwait(false);
        Match match = CrlDistributionPoint().Match(text);
        Assert.That(match.Success, Is.True, $"no CRL distribution point URI in:\n{text}");
        return new Uri(match.Groups["uri"].Value);
    }

    /// <summary>openssl ocsp for NAME.pem against the responder its AIA names, verifying the response to the trust anchor.</summary>
    public async Task<CommandResult> OcspAsync(string name)
    {
        Uri url = await OcspUrlAsync(name).ConfigureAwait(false);
        return await BashAsync($"openssl ocsp -issuer {IssuingCa} -CAfile {TrustAnchor} -cert {name}.pem -url {url}").ConfigureAwait(false);
    }

    /// <summary>Polls openssl ocsp until it says NAME.pem has <paramref name="status"/> (good, revoked), within the revocation deadline.</summary>
    public Task<CommandResult> WaitForOcspAsync(string name, string status) =>
        Poll.UntilAsync(
            () => OcspAsync(name),
            result => result.ExitCode == 0 && result.StandardOutput.Contains($"{name}.pem: {status}", StringComparison.Ordinal),
            RevocationDeadline,
            $"openssl ocsp saying {name}.pem: {status}");

    /// <summary>curl the CRL into FILE.der, convert it to FILE.pem and return `openssl crl -text` of it.</summary>
    public async Task<string> FetchCrlAsync(Uri url, string file)
    {
        await BashOkAsync($"curl -sS --fail-with-body -o {file}.der {url}").ConfigureAwait(false);
        await BashOkAsync($"openssl crl -inform DER -in {file}.der -out {file}.pem").ConfigureAwait(false);
        return OpensslText.Normalize((await BashOkAsync($"openssl crl -inform DER -in {file}.der -noout -text").ConfigureAwait(false)).StandardOutput);
    }

    /// <summary>Polls the CRL until <paramref name="done"/> holds for its text, within the revocation deadline.</summary>
    public Task<string> WaitForCrlAsync(Uri url, string file, Func<string, bool> done, string what) =>
        Poll.UntilAsync(() => FetchCrlAsync(url, file), done, RevocationDeadline, what);

    /// <summary>The CRL Number extension of `openssl crl -text` output (printed in decimal), failing if it has none.</summary>
    public static long CrlNumber(string crlText)
    {
        Match match = CrlNumberLine().Match(crlText);
        Assert.That(match.Success, Is.True, $"no CRL Number in:\n{crlText}");
        string value = match.Groups["number"].Value;
        return value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.Parse(value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : long.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the CRL lists <paramref name="serial"/> (openssl's upper-case hex), and if so the reason line after it.</summary>
    public static string? RevokedEntry(string crlText, string serial)
    {
        Match match = Regex.Match(crlText, $@"^Serial Number: 0*{Regex.Escape(serial.TrimStart('0'))}\n(?<entry>(?:(?!Serial Number:).*\n)*)", RegexOptions.Multiline | RegexOptions.IgnoreCase);
        return match.Success ? match.Groups["entry"].Value : null;
    }

    [GeneratedRegex(@"X509v3 CRL Distribution Points:\s*\n(?:.*\n)*?URI:(?<uri>\S+)")]
    private static partial Regex CrlDistributionPoint();

    [GeneratedRegex(@"X509v3 CRL Number:\s*\n(?<number>(?:0x)?[0-9A-Fa-f]+)\n")]
    private static partial Regex CrlNumberLine();
}
