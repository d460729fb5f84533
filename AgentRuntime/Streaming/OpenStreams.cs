using System.Collections.Concurrent;

namespace Evergreen.AgentRuntime.Streaming;

/// <summary>
/// The server-sent-event streams of runs open right now. At the end of the grace period a drain calls
/// <see cref="ShutDownAll"/>: each stream then sends a <c>shutdown</c> event and ends. Thread-safe.
/// </summary>
internal sealed class OpenStreams
{
    private readonly ConcurrentDictionary<Handle, byte> _open = new();

    public int Count => _open.Count;

    public Handle Open(string runId)
    {
        var handle = new Handle(this, runId);
        _open[handle] = 0;
        return handle;
    }

    /// <summary>Asks every open stream to end with a <c>shutdown</c> event; returns how many were open.</summary>
    public int ShutDownAll()
    {
        var handles = _open.Keys.ToList();
        foreach (var handle in handles)
        {
            handle.RequestShutdown();
        }

        return handles.Count;
    }

    /// <summary>One open stream. Dispose when the response ends.</summary>
    internal sealed class Handle(OpenStreams owner, string runId) : IDisposable
    {
        private readonly CancellationTokenSource _shutdown = new();

        public string RunId { get; } = runId;

        /// <summary>Cancelled when the replica must end the stream.</summary>
        public CancellationToken ShutdownRequested => _shutdown.Token;

        public void RequestShutdown()
        {
            try
            {
                _shutdown.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The stream ended meanwhile.
            }
        }

        public void Dispose()
        {
            if (owner._open.TryRemove(this, out _))
            {
                _shutdown.Dispose();
            }
        }
    }
}
