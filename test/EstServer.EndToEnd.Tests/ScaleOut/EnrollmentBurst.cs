using System.Security.Cryptography.X509Certificates;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.ScaleOut;

/// <summary>
/// Many devices enrolling at once, each with its own IDevID and TLS connection, each request repeated
/// after 202/503 until it is issued. Tests wait on how many have completed.
/// </summary>
public sealed class EnrollmentBurst : IDisposable
{
    private readonly List<X509Certificate2> _devices = [];
    private readonly List<HttpClient> _clients = [];
    private readonly List<DeviceEnrollment> _enrollments = [];
    private readonly object _progress = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _completed;

    private EnrollmentBurst()
    {
    }

    public IReadOnlyList<DeviceEnrollment> Enrollments => _enrollments;

    public int Completed => Volatile.Read(ref _completed);

    public static EnrollmentBurst Create(ScaleOutCluster cluster, string name, int devices, int requestsPerDevice, bool retryConnectionFailures = false)
    {
        var burst = new EnrollmentBurst();
        for (int d = 0; d < devices; d++)
        {
            X509Certificate2 device = cluster.MintDevice($"{name}-device-{d:D3}");
            HttpClient client = cluster.CreateClient(device);
            burst._devices.Add(device);
            burst._clients.Add(client);
            for (int r = 0; r < requestsPerDevice; r++)
            {
                burst._enrollments.Add(new DeviceEnrollment(client, device, TestCsr.Create($"CN={name}-{d:D3}-{r:D3}, O=Scale-out E2E"))
                {
                    RetriesConnectionFailures = retryConnectionFailures,
                });
            }
        }

        return burst;
    }

    /// <summary>Runs every enrollment to its certificate, at most <paramref name="concurrency"/> at a time.</summary>
    public async Task RunAsync(int concurrency, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(concurrency);
        await Task.WhenAll(_enrollments.Select(async enrollment =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                await enrollment.EnrollAsync(cancellationToken);
            }
            finally
            {
                slots.Release();
            }

            OnCompleted();
        }));
    }

    public async Task WaitForCompletedAsync(int count, TimeSpan timeout)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_progress)
        {
            if (_completed >= count)
            {
                return;
            }

            _waiters.Add((count, reached));
        }

        await reached.Task.WaitAsync(timeout);
    }

    public void Dispose()
    {
        foreach (HttpClient client in _clients)
        {
            client.Dispose();
        }

        foreach (X509Certificate2 device in _devices)
        {
            device.Dispose();
        }

        foreach (DeviceEnrollment enrollment in _enrollments)
        {
            enrollment.Certificate?.Dispose();
        }
    }

    private void OnCompleted()
    {
        lock (_progress)
        {
            _completed++;
            foreach ((int count, TaskCompletionSource reached) in _waiters.Where(w => w.Count <= _completed).ToList())
            {
                reached.TrySetResult();
                _waiters.Remove((count, reached));
            }
        }
    }
}
