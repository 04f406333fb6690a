using System.Diagnostics;

namespace EstServer.Redis.Tests.Support;

/// <summary>Waits for a state (in Redis, usually) to be reached, checking it often, with a deadline.</summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"not reached within {timeout}: {what}");
            }

            await Task.Delay(25);
        }
    }
}
