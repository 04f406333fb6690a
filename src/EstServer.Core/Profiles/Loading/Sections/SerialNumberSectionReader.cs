using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>serialBytes: how long the certificate's random serial number is.</summary>
internal sealed class SerialNumberSectionReader : IProfileSectionReader
{
    public IReadOnlyList<string> Fields { get; } = ["serialBytes"];

    public CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context)
    {
        if (file.Int("serialBytes") is not { } serialBytes)
        {
            return profile;
        }

        if (serialBytes is < 9 or > 20)
        {
            context.Report(file["serialBytes"], "serialBytes", "serialBytes must be 9 to 20 (RFC 5280 §4.1.2.2 allows 20; 9 octets carry more than the 64 random bits the CA/B Forum asks for)");
        }

        return profile with { SerialBytes = serialBytes };
    }
}
