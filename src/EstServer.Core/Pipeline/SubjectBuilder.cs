using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Profiles;
using EstServer.Core.Wire;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Pipeline;

/// <summary>
/// Builds the issued subject from the profile's attribute rules: each attribute from the CSR (checked),
/// fixed by the profile, or copied from the authenticated client certificate, in the profile's order.
/// </summary>
public static class SubjectBuilder
{
    public static Result<X509Name> Build(CertificationRequest csr, CertificateProfile profile, X509Name clientSubject)
    {
        if (profile.SubjectRules is not { } rules)
        {
            return csr.Subject;
        }

        Dictionary<string, string> requested = new(StringComparer.Ordinal);
        IList<DerObjectIdentifier> oids = csr.Subject.GetOidList();
        IList<string> values = csr.Subject.GetValueList();
        for (int i = 0; i < oids.Count; i++)
        {
            string oid = oids[i].Id;
            SubjectAttributeRule? rule = rules.FirstOrDefault(r => r.Oid == oid);
            if (rule is null)
            {
                return EstError.BadRequest($"subject attribute {NameOf(oid)} is not allowed by profile '{profile.Name}'");
            }

            if (!requested.TryAdd(oid, values[i]))
            {
                return EstError.BadRequest($"subject attribute {rule.Name} appears more than once");
            }
        }

        var outputOids = new List<DerObjectIdentifier>();
        var outputValues = new List<string>();
        foreach (SubjectAttributeRule rule in rules)
        {
            requested.TryGetValue(rule.Oid, out string? fromCsr);
            Result<string?> value = rule.Source switch
            {
                SubjectValueSource.Fixed => Fixed(rule, fromCsr),
                SubjectValueSource.ClientCertificate => FromClient(rule, fromCsr, clientSubject),
                _ => FromCsr(rule, fromCsr),
            };
            if (!value.IsSuccess)
            {
                return value.Error;
            }

            if (value.Value is { } present)
            {
                outputOids.Add(new DerObjectIdentifier(rule.Oid));
                outputValues.Add(present);
            }
        }

        return new X509Name(outputOids, outputValues, SubjectValueEncoding.Converter);
    }

    private static Result<string?> FromCsr(SubjectAttributeRule rule, string? value)
    {
        if (value is null)
        {
            return rule.Required ? EstError.BadRequest($"subject attribute {rule.Name} is required") : Result<string?>.Success(null);
        }

        if (rule.Pattern is { } pattern && !pattern.IsMatch(value))
        {
            return EstError.BadRequest($"subject {rule.Name} '{value}' does not match the profile's pattern {pattern}");
        }

        return value;
    }

    private static Result<string?> Fixed(SubjectAttributeRule rule, string? value) =>
        value is null || value == rule.FixedValue
            ? rule.FixedValue
            : EstError.BadRequest($"subject {rule.Name} must be '{rule.FixedValue}' (or omitted)");

    private static Result<string?> FromClient(SubjectAttributeRule rule, string? value, X509Name clientSubject)
    {
        string? fromClient = clientSubject.GetValueList(new DerObjectIdentifier(rule.Oid)).FirstOrDefault();
        if (fromClient is null)
        {
            return EstError.Forbidden($"the client certificate has no subject {rule.Name} to copy into the certificate");
        }

        return value is null || value == fromClient
            ? fromClient
            : EstError.Forbidden($"subject {rule.Name} must be the client certificate's ('{fromClient}')");
    }

    private static string NameOf(string oid) =>
        X509Name.DefaultSymbols.TryGetValue(new DerObjectIdentifier(oid), out string? name) ? name : oid;
}
