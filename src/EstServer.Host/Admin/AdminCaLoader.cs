using EstServer.Core.Profiles;
using EstServer.Core.Trust;
using EstServer.Host.Configuration;

namespace EstServer.Host.Admin;

/// <summary>
/// Reads the admin CA at start-up and makes sure it stands apart: a certificate that is also a device
/// trust anchor or part of the issuing CA's chain would let devices administer, or admins enroll.
/// </summary>
public static class AdminCaLoader
{
    public static TrustAnchors Load(AdminOptions options, ProfileCatalog profiles, IssuedCertificateTrust issued)
    {
        TrustAnchors adminCa;
        try
        {
            adminCa = TrustAnchors.LoadPemFiles("admin CA", [options.CaPath]);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            throw new EstConfigurationException($"Est:Admin:CaPath: {exception.Message}", exception);
        }

        if (adminCa.Roots.Count == 0)
        {
            throw new EstConfigurationException($"Est:Admin:CaPath: {options.CaPath} holds no self-signed CA certificate to anchor admin certificates");
        }

        var deviceSide = TrustAnchors.Union("device anchors", profiles.Profiles.Select(profile => profile.DeviceIdentityAnchors).Append(issued.Anchors));
        var shared = adminCa.Roots.Concat(adminCa.Intermediates)
            .Where(certificate => deviceSide.Roots.Concat(deviceSide.Intermediates).Any(device => device.Thumbprint == certificate.Thumbprint))
            .Select(certificate => certificate.Subject)
            .ToList();
        if (shared.Count > 0)
        {
            throw new EstConfigurationException(
                $"Est:Admin:CaPath: {string.Join("; ", shared)} is also trusted for devices (a profile's trust anchors or the issuing CA); the admin CA must be separate");
        }

        return adminCa;
    }
}
