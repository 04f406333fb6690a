using EstServer.Core.Profiles;

namespace EstServer.Redis.Tests.Support;

/// <summary>
/// A profile catalog with no profiles (so every job is refused: "profile no longer exists") whose first
/// read blocks until the test opens the gate: it holds a signing loop in the middle of a job.
/// </summary>
public sealed class GatedProfileCatalog : IProfileCatalogProvider, IDisposable
{
    private readonly ManualResetEventSlim _gate = new(false);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ProfileCatalog _empty = new([]);
    private int _reads;

    /// <summary>Completes when a signing loop is held at the gate.</summary>
    public Task Entered => _entered.Task;

    public ProfileCatalog Current
    {
        get
        {
            if (Interlocked.Increment(ref _reads) == 1)
            {
                _entered.TrySetResult();
                _gate.Wait(TimeSpan.FromMinutes(1));
            }

            return _empty;
        }
    }

    public void Open() => _gate.Set();

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
    }
}
