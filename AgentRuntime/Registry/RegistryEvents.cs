using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// Tells <c>GET /v1/events</c> listeners when this replica activates or rolls back a revision. Each listener has its own
/// bounded queue; a listener that falls 100 events behind loses the oldest, never slows the registry.
/// </summary>
internal sealed class RegistryEvents
{
    private readonly ConcurrentDictionary<Guid, Channel<ActivationRecord>> _listeners = new();

    public int ListenerCount => _listeners.Count;

    public Subscription Subscribe()
    {
        var id = Guid.NewGuid();
        var channel = Channel.CreateBounded<ActivationRecord>(new BoundedChannelOptions(100)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        _listeners[id] = channel;
        return new Subscription(this, id, channel.Reader);
    }

    public void Publish(ActivationRecord record)
    {
        foreach (var channel in _listeners.Values)
        {
            channel.Writer.TryWrite(record);
        }
    }

    /// <summary>One listener; dispose to stop listening.</summary>
    internal sealed class Subscription(RegistryEvents owner, Guid id, ChannelReader<ActivationRecord> reader) : IDisposable
    {
        public ChannelReader<ActivationRecord> Reader { get; } = reader;

        public void Dispose() => owner._listeners.TryRemove(id, out _);
    }
}
