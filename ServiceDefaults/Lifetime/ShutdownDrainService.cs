using Evergreen.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evergreen.ServiceDefaults.Lifetime;

/// <summary>
/// Turns readiness to 503 as soon as the host begins to stop, then optionally waits
/// <c>Evergreen:ShutdownDrainDelay</c> before the web server stops accepting connections, so load balancers that
/// poll <c>/health/ready</c> move traffic away before connections are refused. The wait counts against the grace
/// period. Creating this service at start-up also creates the <see cref="ServiceLifecycle"/>.
/// </summary>
internal sealed class ShutdownDrainService(
    ServiceLifecycle lifecycle, IConfiguration configuration, TimeProvider timeProvider, ILogger<ShutdownDrainService> logger)
    : IHostedLifecycleService
{
    private int _stopping;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        lifecycle.MarkShuttingDown();

        // The host runs the stopping hooks again when StopAsync is called twice; drain only once.
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return;
        }

        var delay = ConfigurationValues.GetDuration(configuration, LifetimeRegistration.DrainDelayKey, TimeSpan.Zero);
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        Log.DrainDelay(logger, delay);
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The grace period ran out during the delay: stop now.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
