using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EstServer.Core.Revocation;

/// <summary>
/// Runs where the CA key is and keeps the store's CRL of one issuing CA current: a new CRL as soon as a
/// revocation is recorded (within <see cref="CrlPublisherOptions.CheckInterval"/>), and a re-signed one
/// before the last one's nextUpdate. Several publishers (several signers) may share a store; the
/// store's unique CRL number decides which one's CRL stands (RFC 5280 §5.2.3: numbers only grow).
/// </summary>
public sealed partial class CrlPublisher : BackgroundService
{
    private readonly IRevocationList _store;
    private readonly CrlBuilder _builder;
    private readonly IssuingCa _ca;
    private readonly CrlPublisherOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CrlPublisher> _logger;

    public CrlPublisher(IRevocationList store, CrlBuilder builder, IssuingCa ca, CrlPublisherOptions options, TimeProvider time, ILogger<CrlPublisher> logger)
    {
        options.Validate();
        _store = store;
        _builder = builder;
        _ca = ca;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Signs and stores a CRL when one is due; the CRL it stored (or that another publisher won the number with), or null when none was due.</summary>
    /// <exception cref="StoreUnavailableException">The store cannot be reached.</exception>
    public PublishedCrl? PublishIfDue()
    {
        string keyId = _ca.KeyIdHex;
        DateTimeOffset now = _time.GetUtcNow();
        PublishedCrl? latest = _store.LatestCrl(keyId);
        // The revision is read before the list: a revocation landing between the two reads is then
        // either in the list or above the revision the CRL claims to cover, so it is never skipped.
        long revision = _store.RevocationRevision(keyId);
        bool due = latest is null || revision > latest.CoversRevision || latest.NextUpdate - now < _options.RefreshBefore;
        if (!due)
        {
            return null;
        }

        IReadOnlyList<RevokedEntry> revoked = _store.Revoked(keyId, now);
        // CRL times are whole seconds on the wire (RFC 5280 §5.1.2.4); the stored ones match the bytes.
        DateTimeOffset thisUpdate = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        DateTimeOffset nextUpdate = thisUpdate + _options.Validity;
        long number = (latest?.Number ?? 0) + 1;
        byte[] der = _builder.Build(number, revoked, thisUpdate, nextUpdate);
        var crl = new PublishedCrl(keyId, number, revision, thisUpdate, nextUpdate, der);
        if (!_store.TryPublishCrl(crl))
        {
            // Another publisher stored this number first; its CRL stands, and the next check catches
            // up on anything it lacks.
            LogLostRace(_logger, keyId, number);
            return _store.LatestCrl(keyId);
        }

        LogPublished(_logger, keyId, number, revoked.Count, nextUpdate);
        return crl;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        PublishSafely();
        using var timer = new PeriodicTimer(_options.CheckInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                PublishSafely();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void PublishSafely()
    {
        try
        {
            PublishIfDue();
        }
        catch (StoreUnavailableException exception)
        {
            LogStoreUnavailable(_logger, _ca.KeyIdHex, exception.Message);
        }
        catch (Exception exception)
        {
            // A failing signer (an HSM away) must not stop the host; the next check tries again.
            LogFailed(_logger, exception, _ca.KeyIdHex);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Published CRL {Number} of issuer {IssuerKeyId} with {Entries} entries, next update {NextUpdate:o}")]
    private static partial void LogPublished(ILogger logger, string issuerKeyId, long number, int entries, DateTimeOffset nextUpdate);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "CRL {Number} of issuer {IssuerKeyId} was published by another signer first")]
    private static partial void LogLostRace(ILogger logger, string issuerKeyId, long number);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Could not check the CRL of issuer {IssuerKeyId}: {Reason}; trying again at the next check")]
    private static partial void LogStoreUnavailable(ILogger logger, string issuerKeyId, string reason);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Error, Message = "Publishing the CRL of issuer {IssuerKeyId} failed; trying again at the next check")]
    private static partial void LogFailed(ILogger logger, Exception exception, string issuerKeyId);
}
