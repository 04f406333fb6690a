using EstServer.TestSupport;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// The wrong client certificate for the operation: none (401), untrusted or expired (403), an IDevID
/// on simplereenroll or an operational certificate on simpleenroll (403); and re-enrollment with the
/// right certificate but hostile bodies.
/// </summary>
public static class TlsCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("tls.no-client-certificate", 1.0, NoCertificate),
        new("tls.untrusted-certificate", 0.8, Untrusted),
        new("tls.expired-certificate", 0.8, Expired),
        new("tls.wrong-certificate-for-operation", 0.6, WrongForOperation),
        new("reenroll.hostile-body", 1.0, ReenrollHostileBody),
        new("reenroll.valid-rekey", 0.5, ReenrollValidRekey),
    ];

    private static HostileCase NoCertificate(CaseContext c)
    {
        string path = c.Pick(CaseContext.EnrollPath, CaseContext.ReenrollPath, CaseContext.Root + "/field-device/simpleenroll");
        byte[] body = c.Chance(0.7) ? c.ValidSeed().Body : c.RandomBytes(100);
        return c.Make($"POST {path} without a client certificate", CaseIdentity.None, RawRequest.Post(c.Authority, path, body), CaseExpectation.Exactly(401));
    }

    private static HostileCase Untrusted(CaseContext c)
    {
        string path = c.Pick(CaseContext.EnrollPath, CaseContext.ReenrollPath, CaseContext.Root + "/gateway/simpleenroll");
        return c.Make($"POST {path} with a certificate from an unknown CA", CaseIdentity.Untrusted, RawRequest.Post(c.Authority, path, c.ValidSeed().Body), CaseExpectation.Exactly(403));
    }

    private static HostileCase Expired(CaseContext c)
    {
        string path = c.Pick(CaseContext.EnrollPath, CaseContext.ReenrollPath);
        return c.Make($"POST {path} with an expired device identity", CaseIdentity.Expired, RawRequest.Post(c.Authority, path, c.ValidSeed().Body), CaseExpectation.Exactly(403));
    }

    private static HostileCase WrongForOperation(CaseContext c)
    {
        bool idevidOnReenroll = c.Chance(0.5);
        return idevidOnReenroll
            ? c.Make("IDevID on simplereenroll", CaseIdentity.Device, RawRequest.Post(c.Authority, CaseContext.ReenrollPath, c.ValidSeed().Body), CaseExpectation.Exactly(403))
            : c.Make("operational certificate on simpleenroll", CaseIdentity.Operational, RawRequest.Post(c.Authority, CaseContext.EnrollPath, c.ValidSeed().Body), CaseExpectation.Exactly(403));
    }

    /// <summary>Bodies from the corpus and its mutations on simplereenroll; a valid seed names someone else, so it is 403, not 200.</summary>
    private static HostileCase ReenrollHostileBody(CaseContext c)
    {
        SeedEntry seed = c.AnySeed();
        byte[] body = seed.Body;
        if (seed.Der is not null && c.Chance(0.5))
        {
            body = CaseContext.Base64(MutationCases.Mutate(c, seed.Der, out string how));
            return c.PostBody($"simplereenroll with seed {seed.Name} {how}", body, identity: CaseIdentity.Operational, path: CaseContext.ReenrollPath, whenValid: CaseExpectation.Exactly(403));
        }

        return c.PostBody($"simplereenroll with seed {seed.Name}", body, identity: CaseIdentity.Operational, path: CaseContext.ReenrollPath, whenValid: CaseExpectation.Exactly(403));
    }

    /// <summary>A rekey with the same names (RFC 7030 §4.2.2): a documented 2xx.</summary>
    private static HostileCase ReenrollValidRekey(CaseContext c)
    {
        byte[] csr = CsrKit.Simple(Der.NameWithCn(c.Settings.OperationalCommonName), c.FreshKey(), c.Crypto);
        return c.PostSigned("simplereenroll rekey keeping the names", csr, CaseExpectation.Enrolled, CaseIdentity.Operational, CaseContext.ReenrollPath);
    }
}
