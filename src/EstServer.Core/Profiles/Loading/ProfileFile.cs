namespace EstServer.Core.Profiles.Loading;

/// <summary>One file's profile, with where its routing keys were written, for checks across files.</summary>
internal sealed record ProfileFile(
    CertificateProfile? Profile,
    string File,
    string? Name,
    (int Line, int Column) NameAt,
    IReadOnlyList<(string Label, int Line, int Column)> Labels,
    (int Line, int Column)? DefaultAt);
