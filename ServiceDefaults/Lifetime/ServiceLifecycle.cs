using Evergreen.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evergreen.ServiceDefaults.Lifetime;

/// <summary>
/// Where this process is in its life: starting, serving, draining or shutting down. Readiness
/// (<c>/health/ready</c>) answers 503 unless the host has started and the service is neither draining nor
/// shutting down. A singleton registered by <c>AddServiceDefaults</c>; thread-safe, readers never block.
/// </summary>
public sealed class ServiceLifecycle
{
    /// <summary>The reason readiness reports once the host is stopping.</summary>
    public const string ShuttingDownReason = "shutting down";

    private readonly ILogger _logger;
    private readonly TimeSpan _gracePeriod;
    private volatile bool _started;
    private volatile bool _shuttingDown;
    private int _shutdownSignalled;
    private volatile string? _drainReason;

    internal ServiceLifecycle(
        IHostApplicationLifetime lifetime, TimeProvider timeProvider, IConfiguration configuration, ILogger<ServiceLifecycle> logger)
    {
        _logger = logger;
        _gracePeriod = ConfigurationValues.GetDuration(configuration, LifetimeRegistration.GracePeriodKey, LifetimeRegistration.DefaultGracePeriod);
        StartedAt = timeProvider.GetUtcNow();
        lifetime.ApplicationStarted.Register(static state => ((ServiceLifecycle)state!)._started = true, this);
        lifetime.ApplicationStopping.Register(static state => ((ServiceLifecycle)state!).MarkShuttingDown(), this);
    }

    /// <summary>Gets when the host started (UTC, from the registered <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets a value indicating whether every hosted service has started and the server listens.</summary>
    public bool IsStarted => _started;

    /// <summary>Gets a value indicating whether the host is stopping (SIGTERM or StopApplication). Never reverts.</summary>
    public bool IsShuttingDown => _shuttingDown;

    /// <summary>
    /// Gets a value indicating whether the service should take no new work: after <see cref="BeginDrain"/> (until
    /// <see cref="EndDrain"/>) and always once shutting down. In-flight work continues.
    /// </summary>
    public bool IsDraining => _shuttingDown || _drainReason is not null;

    /// <summary>Gets why the service is draining, or null when it is not.</summary>
    public string? DrainReason => _shuttingDown ? ShuttingDownReason : _drainReason;

    /// <summary>Gets "starting", "running", "draining" or "shutting down".</summary>
    public string State => _shuttingDown ? ShuttingDownReason : _drainReason is not null ? "draining" : _started ? "running" : "starting";

    /// <summary>Gets why readiness is 503 because of the lifecycle, or null when the lifecycle allows readiness.</summary>
    internal string? NotReadyReason =>
        _shuttingDown ? ShuttingDownReason
        : _drainReason is { } reason ? $"draining: {reason}"
        : _started ? null
        : "starting";

    /// <summary>Turns readiness to 503 with <paramref name="reason"/>, so load balancers stop sending new work.</summary>
    /// <param name="reason">Why, for operators (for example "rollout 42"); shown in <c>/health/ready</c>.</param>
    public void BeginDrain(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        _drainReason = reason;
        Log.DrainStarted(_logger, reason);
    }

    /// <summary>Ends a drain begun with <see cref="BeginDrain"/>. Has no effect once shutting down.</summary>
    public void EndDrain()
    {
        if (_drainReason is not null)
        {
            _drainReason = null;
            Log.DrainEnded(_logger);
        }
    }

    internal void MarkShuttingDown()
    {
        if (Interlocked.Exchange(ref _shutdownSignalled, 1) == 0)
        {
            _shuttingDown = true;
            Log.ShuttingDown(_logger, _gracePeriod);
        }
    }
}
