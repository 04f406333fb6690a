using System.Globalization;
using System.Security.Cryptography;
using EstServer.Core.Errors;
using EstServer.Core.Lifecycle;
using EstServer.Host.Admin;

namespace EstServer.Host.Cli;

/// <summary>
/// estserver certs list|show|revoke: the certificate store from a shell, over the same store calls as
/// /admin/v1 (the store writes the audit row of a revocation). Serials are printed as openssl prints
/// them and accepted in any of its forms. Exit code 0: done; 1: no such certificate; 2: usage or configuration.
/// </summary>
public static class CertsCommand
{
    public const string Usage =
        """
        usage: estserver certs list [--device ID] [--subject TEXT] [--profile NAME] [--status good|revoked] [--expiring-within 30d] [--limit N]
               estserver certs show SERIAL
               estserver certs revoke SERIAL [--reason REASON]
        """;

    private static readonly string[] ListOptions = ["--device", "--subject", "--profile", "--status", "--expiring-within", "--limit"];

    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        string verb = args.Length > 0 ? args[0] : "";
        string[] options = verb switch
        {
            "list" => ListOptions,
            "revoke" => ["--reason"],
            _ => [],
        };
        int expectedPositionals = verb == "list" ? 0 : 1;
        if (verb is not ("list" or "show" or "revoke"))
        {
            return UsageError(error, verb.Length == 0 ? null : $"unknown certs command '{verb}'");
        }

        if (!CliArguments.TryParse(args[1..], options, out CliArguments parsed, out string problem))
        {
            return UsageError(error, problem);
        }

        if (parsed.Positional.Count != expectedPositionals)
        {
            return UsageError(error, expectedPositionals == 0 ? $"unexpected argument '{parsed.Positional[0]}'" : "give one SERIAL");
        }

        return verb switch
        {
            "list" => List(parsed, output, error, time),
            "show" => Show(parsed, output, error, time),
            _ => Revoke(parsed, output, error, time),
        };
    }

    private static int List(CliArguments parsed, TextWriter output, TextWriter error, TimeProvider time)
    {
        Result<CertificateQuery> query = AdminQueryParser.Parse(
            parsed.Option("--device"), parsed.Option("--subject"), parsed.Option("--profile"), parsed.Option("--status"),
            parsed.Option("--expiring-within"), parsed.Option("--limit"), time.GetUtcNow());
        if (!query.TryGetValue(out CertificateQuery? search, out EstError? refused))
        {
            return UsageError(error, refused.Reason);
        }

        return CliStore.Run("certs", parsed.Configuration, time, error, store =>
        {
            long started = time.GetTimestamp();
            IReadOnlyList<CertificateRecord> found = store.Search(search, time.GetUtcNow());
            TimeSpan elapsed = time.GetElapsedTime(started);
            foreach (CertificateRecord record in found)
            {
                output.WriteLine(string.Join('\t', SerialNumber.ToOpenSsl(record.Serial), CertificateJson.StatusName(record.Status), Iso(record.NotAfter), record.Profile, record.Subject, record.DeviceIdentity));
            }

            error.WriteLine($"{found.Count} {(found.Count == 1 ? "certificate" : "certificates")} (query {elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms)");
            return 0;
        });
    }

    private static int Show(CliArguments parsed, TextWriter output, TextWriter error, TimeProvider time)
    {
        if (!TrySerial(parsed.Positional[0], error, out string serial))
        {
            return 2;
        }

        return CliStore.Run("certs", parsed.Configuration, time, error, store =>
        {
            if (store.Get(serial) is not { } record)
            {
                return UnknownSerial(error, serial);
            }

            Write(output, "serial", SerialNumber.ToOpenSsl(record.Serial));
            Write(output, "status", Status(record));
            Write(output, "subject", record.Subject);
            Write(output, "subjectAltNames", record.SubjectAltNames.Length == 0 ? "(none)" : record.SubjectAltNames);
            Write(output, "issuer", record.Issuer);
            Write(output, "issuerKeyId", record.IssuerKeyId);
            Write(output, "notBefore", Iso(record.NotBefore));
            Write(output, "notAfter", Iso(record.NotAfter));
            Write(output, "deviceIdentity", record.DeviceIdentity);
            Write(output, "profile", $"{record.Profile}@{record.ProfileVersion}");
            Write(output, "kind", record.Kind);
            Write(output, "renewsSerial", record.RenewsSerial is null ? "(none)" : SerialNumber.ToOpenSsl(record.RenewsSerial));
            Write(output, "issuedAt", Iso(record.IssuedAt));
            Write(output, "requestId", record.RequestId);
            Write(output, "requester", $"{record.RequesterSubject} (sha256 {record.RequesterThumbprint})");
            Write(output, "spkiSha256", record.SpkiSha256);
            if (record.Der.Length > 0)
            {
                output.WriteLine(PemEncoding.WriteString("CERTIFICATE", record.Der));
            }

            return 0;
        });
    }

    private static int Revoke(CliArguments parsed, TextWriter output, TextWriter error, TimeProvider time)
    {
        if (!TrySerial(parsed.Positional[0], error, out string serial))
        {
            return 2;
        }

        RevocationReason reason = RevocationReason.Unspecified;
        if (parsed.Option("--reason") is { } text && !RevocationReasons.TryParse(text, out reason))
        {
            return UsageError(error, $"unknown reason '{text}'; use one of {RevocationReasons.Choices}");
        }

        return CliStore.Run("certs", parsed.Configuration, time, error, store =>
        {
            if (store.Revoke(serial, reason, time.GetUtcNow(), CliStore.Actor) is not RevokeResult.Revoked revoked)
            {
                return UnknownSerial(error, serial);
            }

            output.WriteLine(revoked.WasAlreadyRevoked
                ? $"{SerialNumber.ToOpenSsl(serial)} was already {Status(revoked.Record)}; nothing changed"
                : $"{SerialNumber.ToOpenSsl(serial)} {Status(revoked.Record)}");
            return 0;
        });
    }

    /// <summary>"good", or "revoked at TIME (reason)".</summary>
    private static string Status(CertificateRecord record) =>
        record.Status == CertificateStatus.Good
            ? "good"
            : $"revoked at {(record.RevokedAt is { } at ? Iso(at) : "?")} ({RevocationReasons.Name(record.RevocationReason ?? RevocationReason.Unspecified)})";

    private static bool TrySerial(string text, TextWriter error, out string serial)
    {
        if (SerialNumber.TryNormalize(text, out serial))
        {
            return true;
        }

        UsageError(error, $"'{text}' is not a certificate serial number (hex, as openssl x509 -serial prints it)");
        return false;
    }

    private static int UnknownSerial(TextWriter error, string serial)
    {
        error.WriteLine($"estserver certs: no certificate with serial {SerialNumber.ToOpenSsl(serial)}");
        return 1;
    }

    private static int UsageError(TextWriter error, string? problem)
    {
        // A problem is one line; no command at all gets the usage.
        error.WriteLine(problem is null ? Usage : $"estserver certs: {problem}");
        return 2;
    }

    private static void Write(TextWriter output, string field, string value) => output.WriteLine($"{field,-16} {value}");

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
