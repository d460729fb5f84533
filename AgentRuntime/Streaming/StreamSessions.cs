using System.Collections.Concurrent;
using Evergreen.AgentRuntime.Runs;
using Evergreen.ServiceDefaults.Hosting;

namespace Evergreen.AgentRuntime.Streaming;

/// <summary>
/// Stream sessions created by <c>POST …/stream</c> and not yet read. The session holds the revision its POST captured;
/// the run starts when <c>GET /v1/stream/{id}</c> takes it (once). A session nobody reads expires after
/// <c>AgentRuntime:Streaming:SessionTimeout</c> (default 60 s). Thread-safe.
/// </summary>
internal sealed class StreamSessions(IConfiguration configuration, TimeProvider timeProvider) : IDisposable
{
    public const string TimeoutKey = "AgentRuntime:Streaming:SessionTimeout";
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeout = ConfigurationValues.GetDuration(configuration, TimeoutKey, TimeSpan.FromSeconds(60), mustBePositive: true);

    public int Count => _pending.Count;

    public TimeSpan Timeout => _timeout;

    public void Add(PreparedRun run)
    {
        var id = run.Run.RunId;
        var pending = new Pending(run);
        _pending[id] = pending;
        pending.Expiry = timeProvider.CreateTimer(static state => ((Expiring)state!).Expire(), new Expiring(this, id, pending), _timeout, System.Threading.Timeout.InfiniteTimeSpan);
    }

    /// <summary>Takes the session for reading; null when it is unknown, expired or already taken.</summary>
    public PreparedRun? Take(string sessionId)
    {
        if (!_pending.TryRemove(sessionId, out var pending))
        {
            return null;
        }

        pending.Expiry?.Dispose();
        return pending.Run;
    }

    public void Dispose()
    {
        foreach (var pending in _pending.Values)
        {
            pending.Expiry?.Dispose();
        }

        _pending.Clear();
    }

    private sealed class Pending(PreparedRun run)
    {
        public PreparedRun Run { get; } = run;

        public ITimer? Expiry { get; set; }
    }

    private sealed record Expiring(StreamSessions Owner, string Id, Pending Session)
    {
        public void Expire()
        {
            if (Owner._pending.TryRemove(new KeyValuePair<string, Pending>(Id, Session)))
            {
                Session.Expiry?.Dispose();
            }
        }
    }
}
