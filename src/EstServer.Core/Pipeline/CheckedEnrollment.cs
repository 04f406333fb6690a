using EstServer.Core.Csr;
using EstServer.Core.Issuance;
using EstServer.Core.Profiles;

namespace EstServer.Core.Pipeline;

/// <summary>An enrollment that passed every check that needs no CA key: who asked, what they sent, and the certificate it would get.</summary>
public sealed record CheckedEnrollment(
    EnrollmentKind Kind,
    CertificateProfile Profile,
    Requester Requester,
    CertificationRequest Csr,
    CertificateTemplate Template,
    DateTimeOffset CheckedAt);
