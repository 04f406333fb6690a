namespace EstServer.Core.Pipeline;

public sealed record SigningJobProcessorOptions
{
    /// <summary>
    /// Verify the CSR's signature again before signing. A job that crossed Redis must be (the CSR might
    /// have been swapped); a job handed over inside one process was verified moments ago by the same
    /// code, and a second check only doubles the most expensive step of an enrollment.
    /// </summary>
    public bool VerifyProofOfPossession { get; init; } = true;
}
