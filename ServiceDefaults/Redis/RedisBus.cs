using System.Collections.Concurrent;
using Evergreen.ServiceDefaults.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Evergreen.ServiceDefaults.Redis;

/// <summary>
/// <see cref="IRedisBus"/> over one StackExchange.Redis 1.2.6 <see cref="ConnectionMultiplexer"/>, created in the
/// background with <c>AbortOnConnectFail=false</c> so the client keeps reconnecting on its own.
/// </summary>
internal sealed class RedisBus : IRedisBus, IAsyncDisposable
{
    private readonly ConfigurationOptions _options;
    private readonly ILogger<RedisBus> _logger;
    private readonly CancellationTokenSource _disposing = new();
    private readonly ConcurrentDictionary<string, RedisChannelSubscription> _channels = new(StringComparer.Ordinal);
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;
    private int _disposed;

    /// <summary>Moves on at every restored subscription connection; an older restore that is still retrying gives way.</summary>
    private int _restoreGeneration;

    public RedisBus(string connectionString, ILogger<RedisBus> logger)
    {
        _options = ConfigurationOptions.Parse(connectionString);
        _options.AbortOnConnectFail = false;
        _logger = logger;
        _connection = new(() => Task.Run(ConnectAsync), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public event EventHandler? ConnectionRestored;

    public bool IsConnected => _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully && _connection.Value.Result.IsConnected;

    /// <summary>Starts connecting without waiting; the first publish or subscribe would otherwise start it.</summary>
    public void StartConnecting() => _ = _connection.Value;

    public async Task PublishAsync(string channel, string message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(message);
        var connection = await GetConnectionAsync(cancellationToken);
        try
        {
            await connection.GetSubscriber().PublishAsync(channel, message).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            throw new RedisUnavailableException($"Publishing to '{channel}' failed: Redis is unavailable ({ex.Message}).", ex);
        }
    }

    public async Task SubscribeAsync(string channel, Func<string, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        var connection = await GetConnectionAsync(cancellationToken);
        var subscription = _channels.GetOrAdd(channel, name => new RedisChannelSubscription(name, _logger, _disposing.Token));
        subscription.AddHandler(handler);
        await subscription.EnsureSubscribedAsync(connection.GetSubscriber());
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync();
        foreach (var subscription in _channels.Values)
        {
            await subscription.DisposeAsync();
        }

        if (_connection.IsValueCreated)
        {
            try
            {
                var connection = await _connection.Value;
                connection.ConnectionRestored -= OnConnectionRestored;
                connection.ConnectionFailed -= OnConnectionFailed;
                connection.Dispose();
            }
            catch (OperationCanceledException)
            {
                // Disposed before the first connection was made.
            }
        }

        _disposing.Dispose();
    }

    private async Task<ConnectionMultiplexer> GetConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return await _connection.Value.WaitAsync(cancellationToken);
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        // With AbortOnConnectFail=false this returns after the connect time-out even when Redis is down, and the
        // multiplexer keeps trying; the loop only covers errors the client throws anyway (for example DNS).
        for (var delay = TimeSpan.FromSeconds(1); ; delay = RetryDelay.Doubled(delay, TimeSpan.FromSeconds(30)))
        {
            try
            {
                var connection = await ConnectionMultiplexer.ConnectAsync(_options);
                connection.ConnectionRestored += OnConnectionRestored;
                connection.ConnectionFailed += OnConnectionFailed;
                if (!connection.IsConnected)
                {
                    Log.NotConnectedYet(_logger, RedisEndpoints());
                }

                return connection;
            }
            catch (Exception ex) when (ex is RedisException or System.Net.Sockets.SocketException)
            {
                Log.ConnectFailed(_logger, RedisEndpoints(), delay, ex);
                await Task.Delay(delay, _disposing.Token);
            }
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) =>
        Log.ConnectionLost(_logger, e.ConnectionType.ToString(), e.EndPoint?.ToString() ?? "?", e.FailureType.ToString(), e.Exception?.Message);

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        Log.ConnectionRestored(_logger, e.ConnectionType.ToString(), e.EndPoint?.ToString() ?? "?");
        if (e.ConnectionType != ConnectionType.Subscription || sender is not ConnectionMultiplexer connection)
        {
            return;
        }

        _ = RestoreAsync(connection);
    }

    /// <summary>
    /// Subscribes every channel again on the restored connection, retrying until it succeeds: right after a restart the
    /// server may refuse or time out the first commands, and a channel left unsubscribed would silently lose every later
    /// message (a fresh-clone CI run once waited 30 s for one). Then tells the bus's listeners.
    /// </summary>
    private async Task RestoreAsync(ConnectionMultiplexer connection)
    {
        var generation = Interlocked.Increment(ref _restoreGeneration);
        var subscriber = connection.GetSubscriber();
        for (var delay = TimeSpan.FromMilliseconds(250); ; delay = RetryDelay.Doubled(delay, TimeSpan.FromSeconds(5)))
        {
            try
            {
                foreach (var subscription in _channels.Values)
                {
                    await subscription.EnsureSubscribedAsync(subscriber, renew: true);
                }

                break;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Log.ResubscribeFailed(_logger, ex);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
            {
                return; // the bus is being disposed
            }

            try
            {
                await Task.Delay(delay, _disposing.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (Volatile.Read(ref _restoreGeneration) != generation)
            {
                return; // a newer restoration took over
            }
        }

        try
        {
            ConnectionRestored?.Invoke(this, EventArgs.Empty);
        }
        catch (Exception ex)
        {
            Log.ConnectionRestoredHandlerFailed(_logger, ex);
        }
    }

    private string RedisEndpoints() => string.Join(",", _options.EndPoints.Select(e => e.ToString()));
}
