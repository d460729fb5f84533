using System.Collections.Concurrent;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>
/// The connection pools of all destinations, by destination prefix, and their two timers: one closes connections idle for
/// longer than <see cref="IdleTimeout"/> — well inside Kestrel's default keep-alive time-out (130 s), so the gateway
/// closes an idle connection before a replica does; the other, the activity watchdog, cancels requests whose destination
/// went silent for longer than the activity time-out, at most <see cref="WatchdogInterval"/> late.
/// </summary>
internal sealed class BackendEndpoints : IDisposable
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan WatchdogInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, BackendEndpoint?> _byPrefix = new(StringComparer.Ordinal);
    private readonly ITimer _sweeper;
    private readonly ITimer _watchdog;

    public BackendEndpoints(TimeProvider timeProvider)
    {
        _sweeper = timeProvider.CreateTimer(static state => ((BackendEndpoints)state!).Sweep(), this, SweepInterval, SweepInterval);
        _watchdog = timeProvider.CreateTimer(
            static state => ((BackendEndpoints)state!).CancelSilent(), this, WatchdogInterval, WatchdogInterval);
    }

    /// <summary>The pool for <paramref name="destinationPrefix"/>, or null when it is not a plain-HTTP address.</summary>
    public BackendEndpoint? For(string destinationPrefix) =>
        _byPrefix.GetOrAdd(destinationPrefix, static prefix => BackendEndpoint.TryCreate(prefix));

    public void Dispose()
    {
        _sweeper.Dispose();
        _watchdog.Dispose();
        foreach (var endpoint in _byPrefix.Values)
        {
            endpoint?.Dispose();
        }
    }

    private void CancelSilent()
    {
        var now = Environment.TickCount64;
        foreach (var endpoint in _byPrefix.Values)
        {
            endpoint?.CancelSilent(now);
        }
    }

    private void Sweep()
    {
        var cutoff = Environment.TickCount64 - (long)IdleTimeout.TotalMilliseconds;
        foreach (var endpoint in _byPrefix.Values)
        {
            endpoint?.CloseIdleSince(cutoff);
        }
    }
}
