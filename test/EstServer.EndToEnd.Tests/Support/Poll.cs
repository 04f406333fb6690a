using System.Diagnostics;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>Repeats a probe of an observable outcome until it holds or a deadline passes; never a fixed wait.</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <returns>The first probe result that satisfies <paramref name="done"/>.</returns>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, Func<T, string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            T result = await probe().ConfigureAwait(false);
            if (done(result))
            {
                return result;
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"{what} did not happen within {timeout}; last observed: {(describe ?? (r => r?.ToString() ?? "null"))(result)}");
            }

            await Task.Delay(Interval).ConfigureAwait(false);
        }
    }
}
