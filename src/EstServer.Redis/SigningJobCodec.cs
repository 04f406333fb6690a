using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using EstServer.Core.Pipeline;

namespace EstServer.Redis;

/// <summary>
/// A signing request as it travels through Redis: JSON, authenticated with HMAC-SHA256 under the queue
/// secret. A worker decodes only jobs whose MAC verifies.
/// </summary>
public sealed class SigningJobCodec(QueueSecret secret)
{
    private const int Version = 1;

    public (byte[] Payload, byte[] Mac) Encode(SigningRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            json.WriteString("id", request.Id);
            json.WriteString("profile", request.ProfileName);
            json.WriteString("profileVersion", request.ProfileVersion);
            json.WriteString("kind", request.Kind == EnrollmentKind.Enroll ? "enroll" : "reenroll");
            json.WriteBase64String("csr", request.CsrDer);
            json.WriteBase64String("client", request.ClientCertificateDer);
            json.WriteNumber("submittedAt", request.SubmittedAt.ToUnixTimeMilliseconds());
            json.WriteEndObject();
        }

        byte[] payload = buffer.WrittenSpan.ToArray();
        return (payload, HMACSHA256.HashData(secret.Key, payload));
    }

    /// <summary>Null when the MAC does not verify or the payload is not a job; the caller logs and drops it.</summary>
    public SigningRequest? Decode(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> mac)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret.Key, payload, expected);
        if (mac.Length != expected.Length || !CryptographicOperations.FixedTimeEquals(mac, expected))
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(payload);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.GetProperty("v").GetInt32() != Version)
            {
                return null;
            }

            return new SigningRequest(
                root.GetProperty("id").GetString()!,
                root.GetProperty("profile").GetString()!,
                root.GetProperty("profileVersion").GetString()!,
                root.GetProperty("kind").GetString() == "enroll" ? EnrollmentKind.Enroll : EnrollmentKind.Reenroll,
                root.GetProperty("csr").GetBytesFromBase64(),
                root.GetProperty("client").GetBytesFromBase64(),
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("submittedAt").GetInt64()));
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
