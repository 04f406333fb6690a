using System.Diagnostics;

namespace EstServer.EndToEnd.Tests.ScaleOut;

/// <summary>Waits for a state of the processes or of Redis to be reached, checking it often, with a deadline.</summary>
public static class ScaleOutWait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"not reached within {timeout}: {describe()}");
            }

            await Task.Delay(25);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, describe);
}
