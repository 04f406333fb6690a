namespace EstServer.LoadGen.Hostile;

/// <summary>
/// What the server must answer to a request body sent by an authenticated client, computed the way
/// RFC 8951 and the README define the body: larger than the limit is 413; otherwise whitespace
/// (space, tab, CR, LF) anywhere is ignored, PEM armour and anything that is not strict base64 is 400;
/// base64 of exactly a seed's DER gets that seed's answer (valid-*: the valid answer, forbidden-*: 403,
/// bad-*: 400); any other DER is 400 (it is not the request that was signed, so it cannot pass both
/// parsing and proof of possession).
/// </summary>
public static class BodyOracle
{
    public static CaseExpectation Expect(ReadOnlySpan<byte> body, long maxBodyBytes, SeedCorpus corpus, CaseExpectation whenValid)
    {
        if (body.Length > maxBodyBytes)
        {
            return CaseExpectation.OrClosed(413);
        }

        if (!TryDecode(body, out byte[] der))
        {
            return CaseExpectation.Exactly(400);
        }

        return corpus.FindByDer(der) switch
        {
            { Valid: true } => whenValid,
            { Forbidden: true } => CaseExpectation.Exactly(403),
            _ => CaseExpectation.Exactly(400),
        };
    }

    /// <summary>The server's decoding of a body (EstBase64.TryDecode), reproduced.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> body, out byte[] der)
    {
        var compact = new List<byte>(body.Length);
        foreach (byte b in body)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            compact.Add(b);
        }

        der = [];
        if (compact.Count == 0 || compact.ToArray().AsSpan().StartsWith("-----BEGIN"u8))
        {
            return false;
        }

        return SeedCorpus.StrictDecode(compact.ToArray(), out der);
    }
}
