using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Evergreen.ServiceDefaults.Redis;

/// <summary>
/// The handlers of one Redis channel behind a single client callback: messages queue in arrival order and one loop
/// hands each to every handler in turn, so a slow handler delays, never reorders, and never blocks the client's
/// reader thread.
/// </summary>
internal sealed class RedisChannelSubscription : IAsyncDisposable
{
    private readonly string _channel;
    private readonly ILogger _logger;
    private readonly CancellationToken _disposing;
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private readonly SemaphoreSlim _subscribeLock = new(1, 1);
    private readonly Task _loop;
    private ImmutableArray<Func<string, CancellationToken, Task>> _handlers = [];
    private bool _registered;

    public RedisChannelSubscription(string channel, ILogger logger, CancellationToken disposing)
    {
        _channel = channel;
        _logger = logger;
        _disposing = disposing;
        _onMessage = (_, value) => _queue.Writer.TryWrite((string?)value ?? string.Empty);
        _loop = Task.Run(DeliverAsync, CancellationToken.None);
    }

    public void AddHandler(Func<string, CancellationToken, Task> handler) =>
        ImmutableInterlocked.Update(ref _handlers, static (handlers, added) => handlers.Add(added), handler);

    /// <summary>
    /// Registers the one callback of this channel with the client, or registers it again when the client holds it
    /// without a server (it was made while Redis was down), which the client does not always repair by itself. With
    /// <paramref name="renew"/> (after a reconnection) it registers again in any case: the client may still name an
    /// endpoint for a subscription the restarted server no longer has, if its own re-subscription raced the restart.
    /// </summary>
    public async Task EnsureSubscribedAsync(ISubscriber subscriber, bool renew = false)
    {
        await _subscribeLock.WaitAsync(_disposing);
        try
        {
            if (_registered && !renew && subscriber.SubscribedEndpoint(_channel) is not null)
            {
                return;
            }

            if (_registered)
            {
                await subscriber.UnsubscribeAsync(_channel, _onMessage);
            }

            await subscriber.SubscribeAsync(_channel, _onMessage);
            _registered = true;
        }
        finally
        {
            _subscribeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _subscribeLock.Dispose();
    }

    private async Task DeliverAsync()
    {
        await foreach (var message in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            foreach (var handler in _handlers)
            {
                if (_disposing.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    await handler(message, _disposing);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException && _disposing.IsCancellationRequested))
                {
                    Log.HandlerFailed(_logger, _channel, ex);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
