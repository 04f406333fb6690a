using Microsoft.Extensions.Logging;

namespace EstServer.Redis.Tests.Support;

/// <summary>An ILogger that keeps every formatted message, so a test can wait for or look for one.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<string> _messages = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return _messages.ToList();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string message = formatter(state, exception);
        lock (_messages)
        {
            _messages.Add(message);
            foreach ((Func<string, bool> match, TaskCompletionSource<string> found) in _waiters.Where(w => w.Match(message)).ToList())
            {
                found.TrySetResult(message);
                _waiters.Remove((match, found));
            }
        }
    }

    /// <summary>The first message that matches, waiting for it until <paramref name="timeout"/>.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout) => WaitForAsync(match, 1, timeout);

    /// <summary>Waits until <paramref name="count"/> messages in all have matched; returns the last of them.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match, int count, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_messages)
        {
            string[] existing = _messages.Where(match).ToArray();
            if (existing.Length >= count)
            {
                return Task.FromResult(existing[count - 1]);
            }

            int missing = count - existing.Length;
            _waiters.Add((message => match(message) && --missing == 0, found));
        }

        return found.Task.WaitAsync(timeout);
    }
}
