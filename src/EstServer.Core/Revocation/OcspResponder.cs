using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using BcCertificateStatus = Org.BouncyCastle.Ocsp.CertificateStatus;
using CertificateStatus = EstServer.Core.Lifecycle.CertificateStatus;

namespace EstServer.Core.Revocation;

/// <summary>
/// Answers OCSP requests (RFC 6960) for the certificates of one issuing CA from the store, signed by
/// the delegated responder. Everything that does not depend on the request (issuer hashes, responder
/// ID, certificate list, the error answers) is computed once, so an answer costs a parse, a cached
/// status lookup and one signature.
/// </summary>
public sealed class OcspResponder
{
    // RFC 8954 §2.1: nonces of up to 32 octets must be accepted; longer ones may go unanswered.
    private const int MaxNonceOctets = 32;

    private static readonly byte[] MalformedRequest = ErrorResponse(OcspRespStatus.MalformedRequest);
    private static readonly byte[] Unauthorized = ErrorResponse(OcspRespStatus.Unauthorized);
    private static readonly byte[] TryLater = ErrorResponse(OcspRespStatus.TryLater);
    private static readonly byte[] InternalError = ErrorResponse(OcspRespStatus.InternalError);

    private readonly OcspSigningIdentity _identity;
    private readonly TimeProvider _time;
    private readonly OcspResponderOptions _options;
    private readonly OcspIssuerHashes _issuer;
    private readonly OcspStatusCache _statuses;
    private readonly RespID _responderId;
    private readonly X509Certificate[] _certificates;

    public OcspResponder(ICertificateStatusReader store, IssuingCa ca, OcspSigningIdentity identity, TimeProvider time, OcspResponderOptions options)
    {
        _identity = identity;
        _time = time;
        _options = options;
        _issuer = new OcspIssuerHashes(ca);
        _statuses = new OcspStatusCache(store, ca.KeyIdHex, time, options.StatusCacheDuration, options.MaxCachedStatuses);
        // RFC 6960 §4.2.2.3: byKey is the SHA-1 of the responder's public key bits; it is shorter
        // than the name and what RFC 5019 §2.2.3 asks of high-volume responders.
        _responderId = new RespID(identity.Certificate.GetPublicKey());
        // RFC 6960 §4.2.2.2: a delegated responder's certificate goes in the response so the client
        // can check the delegation against the CA it already trusts.
        _certificates = [identity.Certificate];
    }

    /// <summary>A DER OCSPResponse for a DER OCSPRequest. Never throws: every failure is an OCSP error status.</summary>
    public byte[] Respond(ReadOnlySpan<byte> requestDer)
    {
        OcspReq request;
        Req[] items;
        try
        {
            request = new OcspReq(requestDer.ToArray());
            items = request.GetRequestList();
        }
        catch (Exception)
        {
            // RFC 6960 §2.3: anything that does not parse as an OCSPRequest is malformedRequest.
            return MalformedRequest;
        }

        try
        {
            if (items.Length == 0)
            {
                return MalformedRequest;
            }

            CertificateID[] ids = new CertificateID[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                ids[i] = items[i].GetCertID();
                // RFC 6960 §2.3: a responder asked about a CA it does not serve answers unauthorized.
                if (!_issuer.Matches(ids[i]))
                {
                    return Unauthorized;
                }
            }

            return Sign(ids, request.RequestExtensions);
        }
        catch (StoreUnavailableException)
        {
            // RFC 6960 §2.3: tryLater, so the client asks again rather than concluding anything.
            return TryLater;
        }
        catch (Exception exception) when (exception is IOException or ArgumentException or InvalidCastException or FormatException or Asn1Exception)
        {
            return MalformedRequest;
        }
        catch (Exception)
        {
            return InternalError;
        }
    }

    private byte[] Sign(CertificateID[] ids, X509Extensions? requestExtensions)
    {
        // Whole seconds: GeneralizedTime without fractions, as RFC 5280 §4.1.2.5.2 has it for certificates.
        DateTime now = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds()).UtcDateTime;
        DateTime nextUpdate = now + _options.ResponseValidity;
        var generator = new BasicOcspRespGenerator(_responderId);
        foreach (CertificateID id in ids)
        {
            generator.AddResponse(id, Status(id), now, nextUpdate, null);
        }

        if (Nonce(requestExtensions) is { } nonce)
        {
            // RFC 8954 §2.1 (RFC 6960 §4.4.1): the nonce comes back unchanged, binding the answer to the request.
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false, nonce.Value.GetOctets());
            generator.SetResponseExtensions(extensions.Generate());
        }

        BasicOcspResp basic = generator.Generate(_identity.SignatureFactory, _certificates, now);
        return new OCSPRespGenerator().Generate(OcspRespStatus.Successful, basic).GetEncoded();
    }

    private BcCertificateStatus? Status(CertificateID id)
    {
        // The store keeps serials as lowercase hex without leading zeros, which is BigInteger's spelling.
        CertificateState? state = id.SerialNumber.SignValue > 0 ? _statuses.Find(id.SerialNumber.ToString(16)) : null;
        if (state is null)
        {
            // RFC 6960 §2.2: unknown, the responder does not know the certificate.
            return new UnknownStatus();
        }

        if (state.Status != CertificateStatus.Revoked)
        {
            return BcCertificateStatus.Good;
        }

        DateTime revokedAt = DateTimeOffset.FromUnixTimeSeconds((state.RevokedAt ?? _time.GetUtcNow()).ToUnixTimeSeconds()).UtcDateTime;
        RevocationReason reason = state.RevocationReason ?? RevocationReason.Unspecified;
        // As in the CRL (RFC 5280 §5.3.1): unspecified is left out rather than stated.
        return reason == RevocationReason.Unspecified
            ? new RevokedStatus(revokedAt)
            : new RevokedStatus(revokedAt, (int)reason);
    }

    private static X509Extension? Nonce(X509Extensions? extensions)
    {
        X509Extension? nonce = extensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce);
        if (nonce is null)
        {
            return null;
        }

        // The value is an OCTET STRING holding the nonce; its header is 2 octets for up to 127.
        return nonce.Value.GetOctets().Length <= MaxNonceOctets + 2 ? nonce : null;
    }

    private static byte[] ErrorResponse(int status) => new OCSPRespGenerator().Generate(status, null).GetEncoded();
}
