using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Trust;
using EstServer.Host.Configuration;
using EstServer.Host.DevPki;
using EstServer.Host.Pki;
using EstServer.Host.Startup;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstServer.Host.Cli;

/// <summary>
/// estserver profiles check [DIR] [--csr FILE [--label L | --profile NAME] [--client-cert PEM]]
/// Validates a profile directory the way the server would (same trust anchors, same CA), printing every
/// problem as file:line:column; with --csr, also shows the certificate that CSR would get (a dry run).
/// Exit code 0: valid (and the dry run issued); 1: problems found; 2: usage.
/// </summary>
public static class ProfilesCommand
{
    private const string Usage = "usage: estserver profiles check [DIR] [--csr FILE [--label LABEL | --profile NAME] [--client-cert PEM]]";

    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        if (args.Length == 0 || args[0] != "check")
        {
            error.WriteLine(Usage);
            return 2;
        }

        string? directory = null, csrFile = null, label = null, profileName = null, clientCertificateFile = null;
        bool missingValue = false;
        for (int i = 1; i < args.Length && !missingValue; i++)
        {
            string? Next()
            {
                // An option with no value (or followed by another option) is a usage error, never ignored.
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    missingValue = true;
                    return null;
                }

                return args[++i];
            }

            switch (args[i])
            {
                case "--csr": csrFile = Next(); break;
                case "--label": label = Next(); break;
                case "--profile": profileName = Next(); break;
                case "--client-cert": clientCertificateFile = Next(); break;
                case var value when directory is null && !value.StartsWith('-'): directory = value; break;
                default:
                    error.WriteLine($"estserver profiles check: unexpected argument '{args[i]}'");
                    error.WriteLine(Usage);
                    return 2;
            }
        }

        if (missingValue || (csrFile is null && (label ?? profileName ?? clientCertificateFile) is not null) || (label is not null && profileName is not null))
        {
            error.WriteLine(Usage);
            return 2;
        }

        EstOptions options = LoadOptions();
        directory ??= ProfileCatalogFactory.Directory(options);
        (IssuingCa ca, IReadOnlyDictionary<string, string> builtIn, DevPkiLayout? dev, _) = PkiMaterialLoader.LoadAuthority(options, time);
        ProfileLoadResult result = ProfileDirectoryLoader.Load(directory, ProfileCatalogFactory.LoadContext(ca, builtIn));
        foreach (ProfileDiagnostic diagnostic in result.Diagnostics)
        {
            output.WriteLine(diagnostic);
        }

        if (!result.IsValid)
        {
            output.WriteLine($"{result.Diagnostics.Count} problem(s) in {directory}");
            return 1;
        }

        foreach (CertificateProfile profile in result.Catalog!.Profiles)
        {
            string routes = string.Join(", ", profile.Labels.Select(l => $"/{l}").Prepend(profile.ServesUnlabelled ? "(default route)" : null).OfType<string>());
            output.WriteLine($"ok  {profile.Name}@{profile.Version}  {Path.GetFileName(profile.SourceFile)}  routes: {routes}");
        }

        output.WriteLine($"{result.Catalog.Profiles.Count} profile(s) valid in {directory}");
        return csrFile is null ? 0 : DryRun(result.Catalog, csrFile, label, profileName, clientCertificateFile ?? dev?.DeviceCertificate, ca, KeyBlocklistFile.Load(options.KeyBlocklistPath), time, output);
    }

    private static int DryRun(ProfileCatalog catalog, string csrFile, string? label, string? profileName, string? clientCertificateFile, IssuingCa ca, WeakKeyCheck weakKeys, TimeProvider time, TextWriter output)
    {
        DateTimeOffset now = time.GetUtcNow();
        var pipeline = new EnrollmentPipeline(
            new FixedProfileCatalogProvider(catalog), new RequesterCheck(time, new IssuedCertificateTrust(ca.ChainDer), new StandingCheck(new NoStore(), ca, time, TimeSpan.Zero)), new KeyChecks(weakKeys), ca, time, NullLogger<EnrollmentPipeline>.Instance);
        bool found = profileName is not null ? catalog.TryGetByName(profileName, out CertificateProfile profile) : catalog.TryResolve(label, out profile);
        if (!found)
        {
            output.WriteLine($"dry run: no profile {(profileName is not null ? $"named '{profileName}'" : label is null ? "serves the default route" : $"serves label '{label}'")}");
            return 1;
        }

        using X509Certificate2 client = clientCertificateFile is null
            ? DevCertificateFactory.CreateRoot("CN=dry-run client", now.AddDays(-1), now.AddYears(30))
            : X509CertificateLoader.LoadCertificate(File.ReadAllBytes(clientCertificateFile) is var bytes && bytes.AsSpan().StartsWith("-----"u8)
                ? X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(bytes)).RawData
                : bytes);

        // The host's phases after the requester: the requester is a TLS client's authentication, and a
        // dry run has no connection, so it takes the given certificate as the one that authenticated
        // (as a signer takes a job's).
        Result<CheckedEnrollment> checkedEnrollment = pipeline.CheckCsr(EnrollmentKind.Enroll, profile, Requester.From(client), ReadDer(csrFile), now);
        if (!checkedEnrollment.TryGetValue(out CheckedEnrollment? enrollment, out EstError? refused))
        {
            output.WriteLine($"dry run under profile '{profile.Name}': REFUSED ({refused.Kind}): {refused.Reason}");
            return 1;
        }

        // Signed with a throwaway key under the real CA's name and validity: the content is exactly what
        // the server would issue (notAfter clamped alike), but the certificate is good for inspection only.
        using X509Certificate2 dryRunCa = DevCertificateFactory.CreateRoot(
            new X500DistinguishedName(ca.Certificate.SubjectDN.GetEncoded()), ca.Certificate.NotBefore.ToUniversalTime(), ca.NotAfter.ToUniversalTime());
        using var signer = new EcdsaCertificateSigner(dryRunCa.GetECDsaPrivateKey()!);
        CertificateTemplate t = enrollment.Template;
        IssuedCertificate issued = new CertificateIssuer(new IssuingCa([dryRunCa.RawData]), signer).Issue(t);
        output.WriteLine($"dry run under profile '{profile.Name}@{profile.Version}' (client certificate: {client.Subject}):");
        output.WriteLine($"  subject          {t.Subject}");
        output.WriteLine($"  subjectAltName   {(t.SubjectAltNames is null ? "(none)" : string.Join(", ", t.SubjectAltNames.GetNames().Select(n => n.ToString())))}");
        output.WriteLine($"  key              {enrollment.Csr.Key}");
        output.WriteLine($"  validity         {t.NotBefore:u} .. {issued.NotAfter:u} ({(issued.NotAfter - t.NotBefore).TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days)");
        output.WriteLine($"  keyUsage         {new Org.BouncyCastle.Asn1.X509.KeyUsage(t.KeyUsage)}");
        output.WriteLine($"  extendedKeyUsage {string.Join(", ", t.ExtendedKeyUsages)}");
        output.WriteLine($"  policies         {string.Join("; ", t.Policies.Select(p => string.Join(" ", new[] { p.Oid, p.CpsUri, p.UserNotice is null ? null : $"\"{p.UserNotice}\"" }.OfType<string>())))}");
        output.WriteLine("  sample certificate (throwaway signature; inspect with openssl x509 -text -noout):");
        output.Write(PemEncoding.WriteString("CERTIFICATE", issued.Der));
        output.WriteLine();
        return 0;
    }

    private static EstOptions LoadOptions()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables();
        EstServerApplication.AddConfigFile(configuration);
        return configuration.Build().GetSection(EstOptions.Section).Get<EstOptions>() ?? new EstOptions();
    }

    /// <summary>A CSR file as PEM, base64 or DER.</summary>
    private static byte[] ReadDer(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length > 0 && bytes[0] == 0x30)
        {
            return bytes;
        }

        string text = Encoding.ASCII.GetString(bytes);
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            PemFields fields = PemEncoding.Find(text);
            return Convert.FromBase64String(text[fields.Base64Data]);
        }

        return Convert.FromBase64String(text);
    }

    /// <summary>
    /// The dry run authenticates no one (it calls CheckCsr with the given certificate), so the requester
    /// phase and its store lookups never run; this stands where the pipeline wants a store.
    /// </summary>
    private sealed class NoStore : EstServer.Core.Lifecycle.ICertificateStatusReader
    {
        public EstServer.Core.Lifecycle.CertificateState? FindState(string issuerKeyId, string serial) => throw new InvalidOperationException("the dry run has no certificate store");

        public bool IsBlocked(string deviceIdentity) => throw new InvalidOperationException("the dry run has no certificate store");

        public long BlockedRevision() => throw new InvalidOperationException("the dry run has no certificate store");

        public IReadOnlyCollection<string> BlockedIdentities() => throw new InvalidOperationException("the dry run has no certificate store");
    }
}
