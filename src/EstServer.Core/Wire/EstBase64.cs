using System.Buffers;
using System.Buffers.Text;

namespace EstServer.Core.Wire;

/// <summary>
/// The base64 bodies of RFC 7030 §4 as clarified by RFC 8951 §3: always base64 of DER, whatever
/// Content-Transfer-Encoding says (or does not say), so line breaks of any width and style are
/// accepted on input, and output is wrapped at 64 columns with LF, as PEM-era tools expect.
/// </summary>
public static class EstBase64
{
    private const int LineWidth = 64;

    /// <summary>Decodes a request body; whitespace anywhere is ignored, anything else that is not base64 is an error.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> body, out byte[] decoded, out string? error)
    {
        decoded = [];
        byte[] compact = ArrayPool<byte>.Shared.Rent(Math.Max(body.Length, 4));
        try
        {
            int length = 0;
            foreach (byte b in body)
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    continue;
                }

                compact[length++] = b;
            }

            if (length == 0)
            {
                error = "request body is empty; expected base64-encoded DER";
                return false;
            }

            ReadOnlySpan<byte> text = compact.AsSpan(0, length);
            if (text.StartsWith("-----BEGIN"u8))
            {
                error = "request body is PEM armoured; send base64 DER without the BEGIN/END lines (RFC 8951)";
                return false;
            }

            byte[] output = new byte[Base64.GetMaxDecodedFromUtf8Length(length)];
            OperationStatus status = Base64.DecodeFromUtf8(text, output, out _, out int written);
            if (status != OperationStatus.Done)
            {
                error = "request body is not valid base64";
                return false;
            }

            decoded = written == output.Length ? output : output.AsSpan(0, written).ToArray();
            error = null;
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compact);
        }
    }

    /// <summary>Encodes a response body: 64-column lines, each ending in LF, ASCII bytes.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> der)
    {
        int encodedLength = Base64.GetMaxEncodedToUtf8Length(der.Length);
        int lines = (encodedLength + LineWidth - 1) / LineWidth;
        byte[] flat = ArrayPool<byte>.Shared.Rent(Math.Max(encodedLength, 1));
        try
        {
            Base64.EncodeToUtf8(der, flat, out _, out int written);
            byte[] output = new byte[written + Math.Max(lines, 1)];
            int source = 0;
            int target = 0;
            while (source < written)
            {
                int chunk = Math.Min(LineWidth, written - source);
                flat.AsSpan(source, chunk).CopyTo(output.AsSpan(target));
                source += chunk;
                target += chunk;
                output[target++] = (byte)'\n';
            }

            if (written == 0)
            {
                output[target++] = (byte)'\n';
            }

            return target == output.Length ? output : output.AsSpan(0, target).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(flat);
        }
    }
}
