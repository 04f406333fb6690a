using System.Text;
using EstServer.TestSupport;

namespace EstServer.LoadGen.Hostile;

/// <summary>The shipped labelled profiles (config/profiles): requests that break their rules, and one that fits gateway.</summary>
public static class ProfileCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("profile.label-rules", 1.0, LabelRules),
        new("profile.gateway-valid", 0.4, GatewayValid),
    ];

    private static HostileCase LabelRules(CaseContext c)
    {
        int kind = c.Random.Next(5);
        (string label, byte[] csr, string description) = kind switch
        {
            0 => ("gateway", c.ValidCsr(), "field-device style request on gateway (no DNS name, CN not gw-*)"),
            1 => ("constrained", CsrKit.Simple(Der.NameWithCn(c.Keys.RsaSubject), c.PoolKey(KeyKind.Rsa2048), c.Crypto), "RSA request on constrained (EC only)"),
            2 => ("constrained", c.ValidCsr(KeyKind.EcP384), "P-384 request on constrained (P-256 only)"),
            3 => ("constrained", CsrKit.Simple(Der.NameWithCn(new string('c', 33)), c.FreshKey(), c.Crypto), "33-character CN on constrained (32 at most)"),
            _ => ("gateway", CsrKit.Simple(Der.NameWithCn("gw-" + c.UniqueName), c.FreshKey(), c.Crypto,
                [Der.Extension(Oids.SubjectAltName, Der.Seq(Enumerable.Range(0, 5).Select(i => Der.Context(2, false, Encoding.ASCII.GetBytes($"g{i}.gateways.example.com")))))]), "five DNS names on gateway (4 at most)"),
        };
        return c.PostSigned(description, csr, CaseExpectation.Exactly(400), path: $"{CaseContext.Root}/{label}/simpleenroll");
    }

    private static HostileCase GatewayValid(CaseContext c)
    {
        byte[] csr = CsrKit.Simple(Der.NameWithCn("gw-" + c.UniqueName), c.FreshKey(), c.Crypto,
            [Der.Extension(Oids.SubjectAltName, Der.Seq(Der.Context(2, false, Encoding.ASCII.GetBytes($"{c.UniqueName}.site.gateways.example.com"))))]);
        return c.PostSigned("valid gateway request", csr, CaseExpectation.Enrolled, path: CaseContext.Root + "/gateway/simpleenroll");
    }
}
