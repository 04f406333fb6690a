namespace EstServer.Core.Revocation;

/// <summary>
/// The GET form of an OCSP request (RFC 6960 Appendix A.1): the path segment after the responder URL
/// is the URL-encoded base64 of the DER request. Clients disagree on how much they encode, so '+', '/'
/// and '=' are accepted percent-encoded or not, a '+' turned into a space by form decoding is restored,
/// and missing padding and the base64url alphabet are tolerated.
/// </summary>
public static class OcspGetRequest
{
    /// <summary>GET requests are meant to be small (RFC 5019 §5: under 255 bytes); this bounds the work for a hostile one.</summary>
    private const int MaxSegmentLength = 8 * 1024;

    public static bool TryDecode(string pathSegment, out byte[] der)
    {
        der = [];
        if (string.IsNullOrEmpty(pathSegment) || pathSegment.Length > MaxSegmentLength)
        {
            return false;
        }

        string text = pathSegment.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(pathSegment) : pathSegment;
        text = text.Replace(' ', '+').Replace('-', '+').Replace('_', '/').TrimEnd('=');
        text = (text.Length % 4) switch
        {
            0 => text,
            2 => text + "==",
            3 => text + "=",
            _ => "",
        };

        if (text.Length == 0)
        {
            return false;
        }

        byte[] buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out int written) || written == 0)
        {
            return false;
        }

        der = buffer[..written];
        return true;
    }
}
