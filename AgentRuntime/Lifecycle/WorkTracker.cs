namespace Evergreen.AgentRuntime.Lifecycle;

/// <summary>
/// Counts runs in progress (answered or streamed) and lets a drain wait until there are none, without polling.
/// Thread-safe.
/// </summary>
internal sealed class WorkTracker
{
    private long _count;
    private TaskCompletionSource _idle = NewIdleSignal();

    public long Count => Interlocked.Read(ref _count);

    public Scope Enter()
    {
        Interlocked.Increment(ref _count);
        return new Scope(this);
    }

    /// <summary>Completes when no run is in progress.</summary>
    public async Task WaitForIdleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var idle = Volatile.Read(ref _idle);
            if (Count == 0)
            {
                return;
            }

            await idle.Task.WaitAsync(cancellationToken);
        }
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            Interlocked.Exchange(ref _idle, NewIdleSignal()).TrySetResult();
        }
    }

    private static TaskCompletionSource NewIdleSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One run; dispose when it ends.</summary>
    internal sealed class Scope(WorkTracker owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Exit();
            }
        }
    }
}
