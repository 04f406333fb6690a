using System.Security.Cryptography;
using System.Text;

namespace EstServer.Core.Pipeline;

/// <summary>
/// Derives a request's identity from its content: the operation, the route's profile, the client
/// certificate and the CSR. Any host computes the same id for the same request, which is what makes
/// issuance idempotent across retries and host instances.
/// </summary>
public static class SigningRequestId
{
    public static string Derive(EnrollmentKind kind, string profileName, ReadOnlySpan<byte> clientCertificateDer, ReadOnlySpan<byte> csrDer)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        Append(hash, kind == EnrollmentKind.Enroll ? "enroll"u8 : "reenroll"u8, length);
        Append(hash, Encoding.UTF8.GetBytes(profileName), length);
        Append(hash, clientCertificateDer, length);
        Append(hash, csrDer, length);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest[..20]);
    }

    private static void Append(IncrementalHash hash, ReadOnlySpan<byte> field, Span<byte> length)
    {
        // Length-prefixed so that no two different field splits hash alike.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, field.Length);
        hash.AppendData(length);
        hash.AppendData(field);
    }
}
