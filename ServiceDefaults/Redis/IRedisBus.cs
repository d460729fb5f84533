namespace Evergreen.ServiceDefaults.Redis;

/// <summary>
/// Publish/subscribe over Redis, kept this small so the client library behind it can be replaced.
/// A singleton registered by <c>AddRedis</c>; thread-safe; the container owns and disposes it.
/// </summary>
/// <remarks>
/// Pub/sub is fire-and-forget: a message published while a subscriber is disconnected is lost. Subscribers
/// reconcile their state (for example by fetching the current revision over HTTP) when
/// <see cref="ConnectionRestored"/> is raised. The connection is made in the background and re-made after failures;
/// nothing here waits for Redis longer than the client's connect time-out.
/// </remarks>
public interface IRedisBus
{
    /// <summary>Gets a value indicating whether the bus is connected to Redis right now.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Raised after the connection to Redis was lost and is back, subscriptions included. Messages published in
    /// between were lost. Raised on a client thread: handlers should be quick and must not throw.
    /// </summary>
    event EventHandler? ConnectionRestored;

    /// <summary>Publishes <paramref name="message"/> to every current subscriber of <paramref name="channel"/>.</summary>
    /// <param name="channel">The channel name.</param>
    /// <param name="message">The message text (usually JSON).</param>
    /// <param name="cancellationToken">Stops waiting for the connection or the answer; the message may still be sent.</param>
    /// <returns>A task that completes when Redis accepted the message.</returns>
    /// <exception cref="RedisUnavailableException">When Redis cannot be reached.</exception>
    Task PublishAsync(string channel, string message, CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="handler"/> for every message on <paramref name="channel"/> until the bus is disposed,
    /// one message at a time in arrival order. The subscription survives reconnects. When Redis is unavailable the
    /// subscription is made once it is back. Handler exceptions are logged and the next message is delivered.
    /// </summary>
    /// <param name="channel">The channel name.</param>
    /// <param name="handler">Receives the message and a token cancelled when the bus is disposed.</param>
    /// <param name="cancellationToken">Stops waiting for the first connection attempt.</param>
    /// <returns>A task that completes once the subscription is registered (not necessarily acknowledged by Redis).</returns>
    Task SubscribeAsync(string channel, Func<string, CancellationToken, Task> handler, CancellationToken cancellationToken);
}
