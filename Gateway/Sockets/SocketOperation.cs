using System.Threading.Tasks.Sources;

namespace Evergreen.Gateway.Sockets;

/// <summary>
/// The one receive or the one send of an <see cref="EventSocket"/> that waits for the kernel, reused from wait to wait. Whoever
/// moves it from <see cref="Waiting"/> to <see cref="Completing"/> (<see cref="TryClaim"/>) — the event loop, the caller
/// re-checking after it published the wait, a cancellation — does its I/O; the others leave it alone.
/// </summary>
internal sealed class SocketOperation : IValueTaskSource<int>, IValueTaskSource
{
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Completing = 2;

    private ManualResetValueTaskSourceCore<int> _core; // continuations run inline, on whichever thread completes
    private CancellationTokenRegistration _cancellation;
    private CancellationToken _token;
    private int _state;

    /// <summary>Where a receive puts its bytes; empty for a wait until the socket is readable.</summary>
    public Memory<byte> Buffer { get; set; }

    /// <summary>What a send has left to send; empty for a wait until the socket is writable.</summary>
    public ReadOnlyMemory<byte> Data { get; set; }

    /// <summary>Begins a wait; the version of the value task that reports it.</summary>
    public short Begin(CancellationToken cancellationToken)
    {
        _core.Reset();
        _token = cancellationToken;
        if (cancellationToken.CanBeCanceled)
        {
            // Registered before the wait is published, so that whoever completes it can also unregister it.
            _cancellation = cancellationToken.UnsafeRegister(static state => ((SocketOperation)state!).Cancel(), this);
        }

        Interlocked.Exchange(ref _state, Waiting);

        // A cancellation that came before the wait was published found nothing to cancel.
        if (cancellationToken.IsCancellationRequested)
        {
            Cancel();
        }

        return _core.Version;
    }

    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Completing, Waiting) == Waiting;

    /// <summary>Gives a claimed wait back: the socket was not ready after all.</summary>
    public void Release() => Interlocked.Exchange(ref _state, Waiting);

    public void Complete(int result)
    {
        Finish();
        _core.SetResult(result);
    }

    public void Fail(Exception error)
    {
        Finish();
        _core.SetException(error);
    }

    public int GetResult(short token) => _core.GetResult(token);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Cancel()
    {
        if (TryClaim())
        {
            Fail(new OperationCanceledException(_token));
        }
    }

    private void Finish()
    {
        _cancellation.Unregister();
        _cancellation = default;
        Buffer = default;
        Data = default;
        Volatile.Write(ref _state, Idle);
    }
}
