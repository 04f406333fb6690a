using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Queue;

namespace EstServer.Core.Authority;

/// <summary>
/// The EST operations as a front end sees them (RFC 7030 §4): everything between "these bytes arrived
/// on this route from this client" and "here is the certificate", independent of HTTP.
/// </summary>
public sealed class EstAuthority(
    IProfileCatalogProvider profiles,
    IssuingCa ca,
    EnrollmentPipeline pipeline,
    ISigningQueue queue,
    EstAuthorityOptions options)
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<CertificateProfile, byte[]> _csrAttributes = [];

    public Result<CertificateProfile> ResolveProfile(string? label) =>
        profiles.Current.TryResolve(label, out CertificateProfile profile)
            ? profile
            : EstError.NotFound(label is null ? "this server serves EST only under a label" : $"unknown EST label '{label}'");

    /// <summary>The certs-only answer to /cacerts (RFC 7030 §4.1).</summary>
    public byte[] CaCertificates() => ca.CertsOnlyDer;

    /// <summary>The CSR Attributes answer (RFC 7030 §4.5, RFC 9908), generated from the profile and kept per profile version.</summary>
    public byte[] CsrAttributes(CertificateProfile profile) => _csrAttributes.GetValue(profile, static p => Profiles.CsrAttributes.Encode(p));

    /// <summary>
    /// simpleenroll and simplereenroll (RFC 7030 §4.2): the host's part of the pipeline, so a bad request
    /// is refused before it costs a queue slot, then the queue, waiting within the budget.
    /// </summary>
    /// <param name="stopping">Fires when this process shuts down: the request stops waiting and gets the queue's answer for that.</param>
    public async ValueTask<SigningOutcome> EnrollAsync(EnrollmentRequest request, CancellationToken requestAborted, CancellationToken stopping = default)
    {
        Result<CheckedEnrollment> checkedEnrollment = await pipeline.CheckAsync(request, requestAborted).ConfigureAwait(false);
        if (!checkedEnrollment.IsSuccess)
        {
            return new SigningOutcome.Refused(checkedEnrollment.Error);
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        try
        {
            return await queue.SubmitAsync(SigningRequest.For(checkedEnrollment.Value), options.WaitBudget, waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !requestAborted.IsCancellationRequested)
        {
            return queue.OutcomeWhenStopping;
        }
    }
}
