using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.Core.Lifecycle;
using EstServer.Host.Admin;

namespace EstServer.Host.Cli;

/// <summary>
/// estserver devices block|unblock: stops a device from enrolling or re-enrolling (and revokes its good
/// certificates), or lets it again. The device is named by its identity (as certs list prints it) or by
/// its IDevID file (--cert), whose SHA-256 thumbprint is the identity. Exit code 0: done; 1: not
/// blocked (unblock); 2: usage or configuration.
/// </summary>
public static class DevicesCommand
{
    public const string Usage =
        """
        usage: estserver devices block (IDENTITY | --cert IDEVID.pem) [--reason TEXT] [--revocation-reason REASON]
               estserver devices unblock (IDENTITY | --cert IDEVID.pem)
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        string verb = args.Length > 0 ? args[0] : "";
        if (verb is not ("block" or "unblock"))
        {
            return UsageError(error, verb.Length == 0 ? null : $"unknown devices command '{verb}'");
        }

        string[] options = verb == "block" ? ["--cert", "--reason", "--revocation-reason"] : ["--cert"];
        if (!CliArguments.TryParse(args[1..], options, out CliArguments parsed, out string problem))
        {
            return UsageError(error, problem);
        }

        if (!TryIdentity(parsed, out string identity, out problem))
        {
            return UsageError(error, problem);
        }

        RevocationReason revocationReason = RevocationReason.CessationOfOperation;
        if (parsed.Option("--revocation-reason") is { } text && !RevocationReasons.TryParse(text, out revocationReason))
        {
            return UsageError(error, $"unknown revocation reason '{text}'; use one of {RevocationReasons.Choices}");
        }

        string reason = parsed.Option("--reason")?.Trim() is { Length: > 0 } given ? given.ReplaceLineEndings(" ") : "blocked by admin";
        return CliStore.Run("devices", parsed.Configuration, time, error, store =>
        {
            if (verb == "block")
            {
                DeviceBlock block = store.Block(identity, reason, revocationReason, time.GetUtcNow(), CliStore.Actor);
                string serials = block.RevokedSerials.Count == 0 ? "" : ": " + string.Join(", ", block.RevokedSerials.Select(SerialNumber.ToOpenSsl));
                output.WriteLine($"blocked {block.DeviceIdentity} since {block.BlockedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} ({block.Reason}); revoked {block.RevokedSerials.Count} certificate(s){serials}");
                return 0;
            }

            if (!store.Unblock(identity, time.GetUtcNow(), CliStore.Actor))
            {
                error.WriteLine($"estserver devices: device {identity} is not blocked");
                return 1;
            }

            output.WriteLine($"unblocked {identity} (its revoked certificates stay revoked)");
            return 0;
        });
    }

    private static bool TryIdentity(CliArguments parsed, out string identity, out string problem)
    {
        identity = "";
        problem = "";
        string? file = parsed.Option("--cert");
        if ((file is null ? 0 : 1) + parsed.Positional.Count != 1)
        {
            problem = "name the device by one IDENTITY or --cert FILE";
            return false;
        }

        if (file is null)
        {
            if (!DeviceIdentityText.TryNormalize(parsed.Positional[0], out identity))
            {
                problem = $"'{parsed.Positional[0]}' is not a device identity";
                return false;
            }

            return true;
        }

        try
        {
            using X509Certificate2 idevid = Load(file);
            identity = DeviceIdentityText.Of(idevid);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException or FormatException)
        {
            problem = $"--cert {file}: {exception.Message.ReplaceLineEndings(" ")}";
            return false;
        }
    }

    /// <summary>The first certificate of a PEM file (a chain file starts with its leaf), or a DER file.</summary>
    private static X509Certificate2 Load(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        string text = Encoding.ASCII.GetString(bytes);
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return X509CertificateLoader.LoadCertificate(bytes);
        }

        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(text);
        if (certificates.Count == 0)
        {
            throw new CryptographicException("the file holds no PEM certificate");
        }

        foreach (X509Certificate2 other in certificates.Skip(1))
        {
            other.Dispose();
        }

        return certificates[0];
    }

    private static int UsageError(TextWriter error, string? problem)
    {
        // A problem is one line; no command at all gets the usage.
        error.WriteLine(problem is null ? Usage : $"estserver devices: {problem}");
        return 2;
    }
}
